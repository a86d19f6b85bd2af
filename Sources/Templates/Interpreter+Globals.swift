import Collections
import Foundation

// The only globals a template sees besides its context: the ones Hugging Face adds (`raise_exception`,
// `strftime_now`) and Jinja's `range`, `dict`, `namespace`. `cycler`, `joiner`, `lipsum` are left out.
extension Interpreter {
    static let builtinGlobals: [String: TemplateValue] = [
        "range": .callable(Callable(name: "range") { interp, args, _ in try interp.range(args) }),
        "dict": .callable(Callable(name: "dict") { interp, args, kwargs in
            var d = OrderedDictionary<String, TemplateValue>()
            if let first = args.first {
                guard case let .dictionary(base) = first else { throw interp.runtime("dict() positional argument must be a mapping") }
                d = base
            }
            for (k, v) in kwargs { d[k] = v }
            return .dictionary(d)
        }),
        "namespace": .callable(Callable(name: "namespace") { interp, args, kwargs in
            var d = OrderedDictionary<String, TemplateValue>()
            if let first = args.first {
                guard case let .dictionary(base) = first else { throw interp.runtime("namespace() positional argument must be a mapping") }
                d = base
            }
            for (k, v) in kwargs { d[k] = v }
            return .namespace(Namespace(d))
        }),
        "raise_exception": .callable(Callable(name: "raise_exception") { interp, args, _ in
            let message = args.first?.pyStr ?? ""
            throw TemplateError.raised(message, line: interp.loc.line, column: interp.loc.column)
        }),
        "strftime_now": .callable(Callable(name: "strftime_now") { interp, args, _ in
            guard case let .string(format)? = args.first else { throw interp.runtime("strftime_now needs a format string") }
            return .string(try interp.strftime(format, Date(timeIntervalSince1970: interp.now())))
        }),
    ]

    func range(_ args: [TemplateValue]) throws -> TemplateValue {
        let ints = try args.map { v -> Int in
            guard let i = Self.intIndex(v) else { throw runtime("range() arguments must be integers") }
            return i
        }
        let (start, stop, step): (Int, Int, Int)
        switch ints.count {
        case 1: (start, stop, step) = (0, ints[0], 1)
        case 2: (start, stop, step) = (ints[0], ints[1], 1)
        case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
        default: throw runtime("range() takes 1 to 3 arguments")
        }
        guard step != 0 else { throw runtime("range() step must not be zero") }
        // Count first in Double so extreme bounds cannot overflow before the limit check.
        let span = ((Double(stop) - Double(start)) / Double(step)).rounded(.up)
        if span > Double(limits.maxRangeLength) { throw limit("range() of \(span) items exceeds \(limits.maxRangeLength)") }
        // stride stops at the bound itself, so an off-by-one in the Double count cannot overflow.
        return .array(stride(from: start, to: stop, by: step).map { .int($0) })
    }

    /// Python `strftime` for the directives date lines in chat templates use.
    func strftime(_ format: String, _ date: Date) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
        let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let month = months[((c.month ?? 1) - 1) % 12]
        let day = days[((c.weekday ?? 1) - 1) % 7]
        var out = ""
        var it = format.makeIterator()
        while let ch = it.next() {
            guard ch == "%" else { out.append(ch); continue }
            guard let d = it.next() else { out += "%"; break }
            switch d {
            case "Y": out += String(c.year ?? 0)
            case "y": out += two((c.year ?? 0) % 100)
            case "m": out += two(c.month)
            case "d": out += two(c.day)
            case "-": // glibc's "%-d" (no padding), which some templates use
                guard let e = it.next() else { break }
                switch e {
                case "d": out += String(c.day ?? 0)
                case "m": out += String(c.month ?? 0)
                case "H": out += String(c.hour ?? 0)
                default: out += "%-" + String(e)
                }
            case "H": out += two(c.hour)
            case "I": out += two(((c.hour ?? 0) + 11) % 12 + 1)
            case "M": out += two(c.minute)
            case "S": out += two(c.second)
            case "p": out += (c.hour ?? 0) < 12 ? "AM" : "PM"
            case "B": out += month
            case "b": out += String(month.prefix(3))
            case "A": out += day
            case "a": out += String(day.prefix(3))
            case "j":
                let doy = calendar.ordinality(of: .day, in: .year, for: date) ?? 0
                out += doy < 10 ? "00\(doy)" : (doy < 100 ? "0\(doy)" : "\(doy)")
            case "%": out += "%"
            default: out += "%" + String(d)
            }
        }
        return out
    }
}
