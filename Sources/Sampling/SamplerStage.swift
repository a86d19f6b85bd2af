/// One step of the sampling pipeline. Raw values are the names text-generation-webui's `sampler_priority`
/// uses, so a wire list of names maps onto stages with `SamplerStage(rawValue:)`.
public enum SamplerStage: String, CaseIterable, Sendable {
    case repetitionPenalty = "repetition_penalty"
    case presencePenalty = "presence_penalty"
    case frequencyPenalty = "frequency_penalty"
    case dry
    case topNSigma = "top_n_sigma"
    case temperature
    case dynamicTemperature = "dynamic_temperature"
    case quadraticSampling = "quadratic_sampling"
    case topK = "top_k"
    case topP = "top_p"
    case typicalP = "typical_p"
    case epsilonCutoff = "epsilon_cutoff"
    case etaCutoff = "eta_cutoff"
    case tfs
    case topA = "top_a"
    case minP = "min_p"
    case adaptiveP = "adaptive_p"
    case mirostat
    case xtc
    case encoderRepetitionPenalty = "encoder_repetition_penalty"
    case noRepeatNgram = "no_repeat_ngram"

    /// text-generation-webui's default `sampler_priority` (modules/presets.py): penalties first, then
    /// top-n-sigma, the temperatures, the truncations, the selecting samplers and the HF-style processors.
    public static let defaultOrder: [SamplerStage] = [
        .repetitionPenalty, .presencePenalty, .frequencyPenalty, .dry, .topNSigma,
        .temperature, .dynamicTemperature, .quadraticSampling,
        .topK, .topP, .typicalP, .epsilonCutoff, .etaCutoff, .tfs, .topA, .minP,
        .adaptiveP, .mirostat, .xtc, .encoderRepetitionPenalty, .noRepeatNgram,
    ]

    /// The stages `temperature_last` moves to the end, in this order (text-generation-webui moves all three).
    static let temperatureStages: [SamplerStage] = [.temperature, .dynamicTemperature, .quadraticSampling]

    /// Stages that only adjust logits from the token history. They are the ones greedy decoding still runs,
    /// as a transformers greedy search runs its logits processors but none of its warpers.
    var isHistoryPenalty: Bool {
        switch self {
        case .repetitionPenalty, .presencePenalty, .frequencyPenalty, .dry, .encoderRepetitionPenalty, .noRepeatNgram:
            true
        default:
            false
        }
    }

    /// The order stages run in for a given `sampler_priority` and `temperature_last`.
    ///
    /// Follows text-generation-webui's sort of its logits warpers: stages missing from `priority` sort before
    /// the listed ones (in default order), duplicates count once, an empty list means the default order, and
    /// `temperature_last` then moves temperature, dynamic temperature and quadratic sampling to the end.
    static func runOrder(priority: [SamplerStage], temperatureLast: Bool) -> [SamplerStage] {
        var listed: [SamplerStage] = []
        for stage in priority.isEmpty ? defaultOrder : priority where !listed.contains(stage) {
            listed.append(stage)
        }
        var order = defaultOrder.filter { !listed.contains($0) } + listed
        if temperatureLast {
            order.removeAll { temperatureStages.contains($0) }
            order += temperatureStages
        }
        return order
    }
}
