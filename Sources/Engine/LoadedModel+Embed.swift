import Models

extension LoadedModel {
    /// The embedding of `tokens` as LocalAI gives it for a chat model: the mean of every position's
    /// hidden state after the final norm, scaled to unit length. Uses a sequence of its own (the prompt
    /// cache is untouched); call it on the engine thread.
    /// - Throws: `EngineError.emptyPrompt`, `.contextLengthExceeded` beyond the context, or a model error.
    public func embed(_ tokens: [Int32]) throws -> [Float] {
        guard !tokens.isEmpty else { throw EngineError.emptyPrompt }
        guard tokens.count <= contextLength else {
            throw EngineError.contextLengthExceeded(promptTokens: tokens.count, contextLength: contextLength)
        }
        let width = model.hyperparameters.dim
        var mean = [Float](repeating: 0, count: width)
        do {
            let sequence = try model.makeSequence(contextLength: tokens.count, cacheType: options.cacheType,
                                                  batchSize: options.batchSize)
            try model.forward(tokens, in: sequence, logits: .hiddenStates)
            for row in 0..<sequence.logitRows {
                for (i, value) in sequence.logits(row: row).enumerated() { mean[i] += value }
            }
        } catch let error as ModelError {
            throw EngineError.model(error)
        }
        var norm: Float = 0
        for value in mean { norm += value * value }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        return mean.map { $0 * scale }
    }
}
