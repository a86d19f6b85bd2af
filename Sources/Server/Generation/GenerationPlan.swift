import Engine
import OpenAIAPI
import Templates
import Tokenizers

/// A generating request resolved once from its wire form: defaults applied, everything validated, so
/// what reaches the engine is a `GenerationOptions` per choice.
struct GenerationPlan {
    /// Options shared by every choice (seed and length are set per choice by `options(choice:…)`).
    var base: GenerationOptions
    /// Tokens to generate per choice; 0 means "none" (completions that only score the prompt).
    var maxTokens: Int
    /// Generate up to the end of the context instead of `maxTokens` (`auto_max_new_tokens`).
    var autoMaxTokens: Bool
    var n: Int
    /// The request's seed (nil or negative: random); choice i uses seed + i.
    var seed: Int?
    /// Keep only this many prompt tokens (from the end); nil refuses prompts that do not fit.
    var truncationLength: Int?
    /// Prepend the model's BOS token when the tokenizer asks for one (`add_bos_token`, default true).
    var addBOS: Bool
    var stream: Bool
    var includeUsage: Bool
    /// Streaming pace limit (`max_tokens_second`); 0 is unlimited.
    var maxTokensPerSecond: Int

    /// The common part of chat and text completions.
    /// - Parameters:
    ///   - maxTokens: the request's value, already defaulted by the caller (chat 512, completions 16).
    ///   - topLogprobs: nil for no logprobs.
    static func resolve(
        sampling: SamplingRequest, maxTokens: Int, stop: [String]?, n: Int?, stream: Bool?,
        streamOptions: StreamOptions?, topLogprobs: Int?, promptLogprobs: Bool, model: LoadedModel
    ) throws(ServerError) -> GenerationPlan {
        let g = sampling.generation
        let parameters = try SamplingResolver.resolve(
            sampling, tokenizer: model.tokenizer, vocabularySize: model.model.hyperparameters.vocabularySize)
        let n = n ?? 1
        guard (1...128).contains(n) else {
            throw .badRequest(message: "Invalid value for 'n': expected an integer from 1 to 128, got \(n).", param: "n")
        }
        guard maxTokens >= 0 else {
            throw .badRequest(message: "Invalid value for 'max_tokens': expected a non-negative integer, got \(maxTokens).",
                              param: "max_tokens")
        }
        let streaming = stream ?? false
        if streamOptions != nil && !streaming {
            throw .badRequest(message: "'stream_options' is only allowed when 'stream' is true.", param: "stream_options")
        }
        if let truncation = g.truncationLength, truncation < 0 {
            throw .badRequest(message: "Invalid value for 'truncation_length': expected a non-negative integer.",
                              param: "truncation_length")
        }
        if let rate = g.maxTokensSecond, rate < 0 {
            throw .badRequest(message: "Invalid value for 'max_tokens_second': expected a non-negative integer.",
                              param: "max_tokens_second")
        }
        let base = GenerationOptions(
            maxTokens: max(maxTokens, 1), sampling: parameters, stopStrings: stop ?? [], topLogprobs: topLogprobs,
            promptLogprobs: promptLogprobs, skipSpecialTokens: g.skipSpecialTokens ?? true)
        return GenerationPlan(
            base: base, maxTokens: maxTokens, autoMaxTokens: g.autoMaxNewTokens ?? false, n: n, seed: g.seed,
            truncationLength: g.truncationLength.flatMap { $0 > 0 ? $0 : nil }, addBOS: g.addBOSToken ?? true,
            stream: streaming, includeUsage: streamOptions?.includeUsage ?? false,
            maxTokensPerSecond: g.maxTokensSecond ?? 0)
    }

    /// The options of choice `choice` for a prompt of `promptTokens` tokens.
    func options(choice: Int, promptTokens: Int, contextLength: Int, extraStops: [String] = []) -> GenerationOptions {
        var options = base
        options.seed = SamplingResolver.seed(seed, offset: choice)
        options.stopStrings += extraStops
        if autoMaxTokens { options.maxTokens = max(1, contextLength - promptTokens) }
        return options
    }

    // MARK: - Prompt tokens

    /// Tokens of `text` as a prompt: special-token texts (`<|im_start|>`) become their tokens, and the
    /// BOS token is prepended when the tokenizer wants one, unless the text already starts with it (a
    /// chat template that prints `bos_token`) or the request said `add_bos_token: false`.
    func tokenize(_ text: String, tokenizer: Tokenizer) -> (tokens: [Int32], addedBOS: Bool) {
        var tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        guard addBOS, tokenizer.addBOS, let bos = tokenizer.bos else { return (tokens, false) }
        if let bosText = tokenizer.tokenString(bos), !bosText.isEmpty, text.hasPrefix(bosText) { return (tokens, false) }
        if tokens.first == bos { return (tokens, false) }
        tokens.insert(bos, at: 0)
        return (tokens, true)
    }

    /// `tokens` made to fit the context: with `truncation_length`, the last tokens that leave room for
    /// `max_tokens` (keeping a leading BOS), as text-generation-webui truncates; without it a prompt that
    /// leaves no room to generate is a 400 naming `param`.
    func fit(_ tokens: [Int32], contextLength: Int, bos: Int32?, param: String) throws(ServerError) -> [Int32] {
        guard let truncationLength else {
            guard tokens.count < contextLength else {
                throw .contextLengthExceeded(promptTokens: tokens.count, contextLength: contextLength, param: param)
            }
            return tokens
        }
        // Room for `max_tokens` within the truncation length, and at least one token within the context.
        let keep = max(1, min(min(truncationLength, contextLength) - maxTokens, contextLength - 1))
        guard tokens.count > keep else { return tokens }
        if let bos, tokens.first == bos, keep > 1 {
            return [bos] + tokens.suffix(keep - 1)
        }
        return Array(tokens.suffix(keep))
    }
}

extension GenerationPlan {
    /// A rendered chat prompt as tokens fitted to the context (`param` names the field an over-long
    /// prompt is blamed on), and one job per choice with the template's stop strings added.
    func chatJobs(_ chatPrompt: ChatPrompt, model: LoadedModel, param: String)
        throws(ServerError) -> (prompt: [Int32], jobs: [GenerationJob]) {
        let (tokens, _) = tokenize(chatPrompt.prompt, tokenizer: model.tokenizer)
        let prompt = try fit(tokens, contextLength: model.contextLength, bos: model.tokenizer.bos, param: param)
        let jobs = (0..<n).map { choice in
            GenerationJob(prompt: prompt, options: options(
                choice: choice, promptTokens: prompt.count, contextLength: model.contextLength,
                extraStops: chatPrompt.stopStrings))
        }
        return (prompt, jobs)
    }
}
