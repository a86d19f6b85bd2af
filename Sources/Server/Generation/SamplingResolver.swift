import Foundation
import OpenAIAPI
import Sampling
import Tokenizers

/// The sampling-related fields every generating request has, before defaults are applied.
struct SamplingRequest {
    var temperature: Double?
    var topP: Double?
    var presencePenalty: Double?
    var frequencyPenalty: Double?
    var logitBias: [String: Double]?
    var generation: GenerationParameters
}

/// Wire sampling options → `SamplingParameters`, with text-generation-webui's defaults (every sampler
/// neutral, temperature 1) and 400s naming the parameter for anything wrong or unsupported.
enum SamplingResolver {
    static func resolve(_ request: SamplingRequest, tokenizer: Tokenizer, vocabularySize: Int)
        throws(ServerError) -> SamplingParameters {
        let g = request.generation
        try rejectUnsupported(g)
        var p = SamplingParameters()
        p.temperature = Float(request.temperature ?? 1)
        if g.doSample == false { p.temperature = 0 }
        p.topP = Float(request.topP ?? 1)
        p.presencePenalty = Float(request.presencePenalty ?? 0)
        p.frequencyPenalty = Float(request.frequencyPenalty ?? 0)

        if let v = g.dynamicTemperature { p.dynamicTemperature = v }
        if let v = g.dynatempLow { p.dynatempLow = Float(v) }
        if let v = g.dynatempHigh { p.dynatempHigh = Float(v) }
        if let v = g.dynatempExponent { p.dynatempExponent = Float(v) }
        if let v = g.smoothingFactor { p.smoothingFactor = Float(v) }
        if let v = g.smoothingCurve { p.smoothingCurve = Float(v) }
        if let v = g.temperatureLast { p.temperatureLast = v }

        if let v = g.minP { p.minP = Float(v) }
        if let v = g.topK { p.topK = v }
        if let v = g.typicalP { p.typicalP = Float(v) }
        if let v = g.xtcThreshold { p.xtcThreshold = Float(v) }
        if let v = g.xtcProbability { p.xtcProbability = Float(v) }
        if let v = g.epsilonCutoff { p.epsilonCutoff = Float(v) }
        if let v = g.etaCutoff { p.etaCutoff = Float(v) }
        if let v = g.tfs { p.tfs = Float(v) }
        if let v = g.topA { p.topA = Float(v) }
        if let v = g.topNSigma { p.topNSigma = Float(v) }
        if let v = g.adaptiveTarget { p.adaptiveTarget = Float(v) }
        if let v = g.adaptiveDecay { p.adaptiveDecay = Float(v) }

        if let v = g.dryMultiplier { p.dryMultiplier = Float(v) }
        if let v = g.dryAllowedLength { p.dryAllowedLength = v }
        if let v = g.dryBase { p.dryBase = Float(v) }
        p.drySequenceBreakers = try dryBreakers(g.drySequenceBreakers, tokenizer: tokenizer)
        if let v = g.repetitionPenalty { p.repetitionPenalty = Float(v) }
        if let v = g.repetitionPenaltyRange { p.repetitionPenaltyRange = v }
        if let v = g.encoderRepetitionPenalty { p.encoderRepetitionPenalty = Float(v) }
        if let v = g.noRepeatNgramSize { p.noRepeatNgramSize = v }

        if let v = g.mirostatMode { p.mirostatMode = v }
        if let v = g.mirostatTau { p.mirostatTau = Float(v) }
        if let v = g.mirostatEta { p.mirostatEta = Float(v) }
        if let priority = g.samplerPriority { p.samplerPriority = try samplerPriority(priority) }

        p.logitBias = try logitBias(request.logitBias, vocabularySize: vocabularySize)
        p.bannedTokens = try tokenBans(g.customTokenBans, vocabularySize: vocabularySize)
        p.banEOS = g.banEOSToken ?? false
        let banned = p.banEOS ? p.bannedTokens.union(tokenizer.endOfGeneration) : p.bannedTokens
        if banned.count >= vocabularySize {
            throw .badRequest(message: "Invalid value for 'custom_token_bans': it bans every token of the vocabulary.",
                              param: "custom_token_bans")
        }

        do {
            try p.validate()
        } catch let error as SamplingError {
            throw sampling(error)
        } catch {
            throw .badRequest(message: "Invalid sampling parameters.")
        }
        return p
    }

    /// Options that would change the output in ways this engine cannot: refused rather than ignored.
    static func rejectUnsupported(_ g: GenerationParameters) throws(ServerError) {
        if let preset = g.preset, !preset.isEmpty {
            throw unsupported("preset", "presets are not available in Swiftlet; send the sampler values themselves")
        }
        if let alpha = g.penaltyAlpha, alpha != 0 {
            throw unsupported("penalty_alpha", "contrastive search is not supported")
        }
        if let scale = g.guidanceScale, scale != 1 {
            throw unsupported("guidance_scale", "classifier-free guidance is not supported")
        }
        if let grammar = g.grammarString, !grammar.isEmpty {
            throw unsupported("grammar_string", "grammar-constrained generation is not supported yet")
        }
    }

    static func unsupported(_ param: String, _ reason: String) -> ServerError {
        .badRequest(message: "Unsupported value for '\(param)': \(reason).", param: param, code: "unsupported_parameter")
    }

    static func sampling(_ error: SamplingError) -> ServerError {
        switch error {
        case let .invalidParameter(name, reason):
            .badRequest(message: "Invalid value for '\(name)': \(reason).", param: name)
        default:
            .badRequest(message: "\(error.description).", param: error.parameterName)
        }
    }

    // MARK: - Token lists

    /// `logit_bias` keys are token ids as decimal strings (JSON keys are strings).
    static func logitBias(_ bias: [String: Double]?, vocabularySize: Int) throws(ServerError) -> [Int32: Float] {
        var result: [Int32: Float] = [:]
        for (key, value) in (bias ?? [:]).sorted(by: { $0.key < $1.key }) {
            let param = "logit_bias.\(key)"
            guard let id = Int32(key.trimmingWhitespace), id >= 0, Int(id) < vocabularySize else {
                throw .badRequest(
                    message: "Invalid key '\(key)' in 'logit_bias': expected a token id from 0 to \(vocabularySize - 1).",
                    param: param)
            }
            guard value.isFinite, (-100...100).contains(value) else {
                throw .badRequest(message: "Invalid value for '\(param)': expected a number from -100 to 100.",
                                  param: param)
            }
            result[id] = Float(value)
        }
        return result
    }

    /// `custom_token_bans`: `"1,2,3"`.
    static func tokenBans(_ text: String?, vocabularySize: Int) throws(ServerError) -> Set<Int32> {
        guard let text else { return [] }
        var result: Set<Int32> = []
        for item in text.split(separator: ",") {
            let trimmed = String(item).trimmingWhitespace
            if trimmed.isEmpty { continue }
            guard let id = Int32(trimmed), id >= 0, Int(id) < vocabularySize else {
                throw .badRequest(
                    message: "Invalid value for 'custom_token_bans': '\(trimmed)' is not a token id from 0 to \(vocabularySize - 1).",
                    param: "custom_token_bans")
            }
            result.insert(id)
        }
        return result
    }

    /// `dry_sequence_breakers`: a list of strings, or text-generation-webui's string of comma-separated
    /// JSON strings (`"\n", ":", "\"", "*"`). Each breaker is the last token of its text.
    static func dryBreakers(_ value: StringOrList?, tokenizer: Tokenizer) throws(ServerError) -> Set<Int32> {
        let strings: [String]
        switch value {
        case nil:
            strings = SamplingParameters.defaultDRYSequenceBreakers
        case let .list(items)?:
            strings = items
        case let .string(text)?:
            let parsed = try? JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [Any]
            guard let parsed, let items = parsed as? [String] else {
                throw .badRequest(
                    message: "Invalid value for 'dry_sequence_breakers': expected a list of strings or comma-separated "
                        + "JSON strings such as \"\\n\", \":\".", param: "dry_sequence_breakers")
            }
            strings = items
        }
        var result: Set<Int32> = []
        for text in strings where !text.isEmpty {
            if let last = tokenizer.encode(text, addSpecial: false, parseSpecial: false).last { result.insert(last) }
        }
        return result
    }

    /// `sampler_priority`: a list of stage names, or one string with a name per line (commas work too).
    static func samplerPriority(_ value: StringOrList) throws(ServerError) -> [SamplerStage] {
        let names: [String] = switch value {
        case let .list(items): items
        case let .string(text): text.split(whereSeparator: { $0 == "\n" || $0 == "," }).map(String.init)
        }
        var stages: [SamplerStage] = []
        for (index, raw) in names.enumerated() {
            let name = raw.trimmingWhitespace
            if name.isEmpty { continue }
            guard let stage = SamplerStage(rawValue: name) else {
                let known = SamplerStage.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRequest(message: "Invalid value for 'sampler_priority': unknown sampler '\(name)'; known: \(known).",
                                  param: value.isList ? "sampler_priority.\(index)" : "sampler_priority")
            }
            stages.append(stage)
        }
        return stages
    }

    /// The sampler seed: nil or negative (text-generation-webui's -1) draws a random one.
    static func seed(_ value: Int?, offset: Int) -> UInt64? {
        guard let value, value >= 0 else { return nil }
        return UInt64(value) &+ UInt64(offset)
    }
}

private extension StringOrList {
    var isList: Bool {
        if case .list = self { return true }
        return false
    }
}
