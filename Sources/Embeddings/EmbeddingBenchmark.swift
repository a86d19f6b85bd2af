import Foundation

/// Sentences per second of a `SentenceEmbedder` at given batch sizes, on a fixed set of ordinary
/// sentences (scripts/goldens/embeddings_bench.py times sentence-transformers on the same list).
public enum EmbeddingBenchmark {
    /// One batch size's result.
    public struct Measurement: Sendable, CustomStringConvertible {
        public let batchSize: Int
        /// Sentences embedded in the timed rounds.
        public let sentences: Int
        /// Tokens in those sentences, [CLS]/[SEP] included.
        public let tokens: Int
        /// Wall-clock time of the timed rounds.
        public let seconds: Double
        public var sentencesPerSecond: Double { Double(sentences) / seconds }

        public var description: String {
            String(format: "batch %3d: %8.1f sentences/s (%d sentences, %d tokens, %.3f s)",
                   batchSize, sentencesPerSecond, sentences, tokens, seconds)
        }
    }

    /// Times `rounds` passes over `sentences` per batch size, after one untimed warm-up pass.
    /// - Parameters: batchSizes: sentences per `embed` call (the last call of a pass may be smaller).
    public static func run(_ embedder: SentenceEmbedder, batchSizes: [Int] = [1, 32], sentences: [String] = sentences,
                           rounds: Int = 3) throws -> [Measurement] {
        try batchSizes.map { size in
            let size = max(1, size)
            let batches = stride(from: 0, to: sentences.count, by: size).map {
                Array(sentences[$0..<min($0 + size, sentences.count)])
            }
            for batch in batches { _ = try embedder.embed(texts: batch) }
            var tokens = 0
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                for _ in 0..<max(1, rounds) {
                    for batch in batches { tokens += try embedder.embed(texts: batch).totalTokens }
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return Measurement(batchSize: size, sentences: sentences.count * max(1, rounds), tokens: tokens, seconds: seconds)
        }
    }

    // MARK: - Sentences

    /// 64 ordinary sentences of 5 to 30 words (about 16 tokens on average with MiniLM's tokenizer).
    public static let sentences: [String] = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "The girl is carrying a baby.",
        "A man is riding a horse.",
        "A woman is playing violin.",
        "Two men pushed carts through the woods.",
        "A man is riding a white horse on an enclosed ground.",
        "A monkey is playing drums.",
        "Someone in a gorilla costume is playing a set of drums.",
        "The new movie is awesome and everyone should go and see it this weekend.",
        "The cat sits outside on the warm stones of the garden wall.",
        "I need to reset the password of my account because I forgot it.",
        "What is the fastest way to get from the airport to the city center?",
        "The committee will publish its final report at the end of next month.",
        "Our quarterly revenue grew by twelve percent compared with last year.",
        "Please remember to bring your laptop and charger to the workshop tomorrow.",
        "The recipe calls for two cups of flour, one egg and a pinch of salt.",
        "He played the piano every evening after dinner for his grandmother.",
        "Heavy rain is expected across the northern region throughout the weekend.",
        "The library extends its opening hours during the examination period.",
        "Researchers found that regular exercise improves sleep quality in older adults.",
        "Can you recommend a good book about the history of ancient Rome?",
        "The train to Berlin was delayed by forty minutes because of a signal failure.",
        "She finally finished the marathon in just under four hours.",
        "Customers can return unused items within thirty days for a full refund.",
        "The software update fixes several bugs and improves battery life.",
        "Our team meeting has been moved from Tuesday morning to Wednesday afternoon.",
        "The museum displays paintings from the seventeenth and eighteenth centuries.",
        "Children under twelve must be accompanied by an adult at all times.",
        "The chef prepared a delicious three-course meal with local ingredients.",
        "Scientists have discovered a new species of frog in the rainforest.",
        "How many languages are spoken in India?",
        "The printer on the third floor is out of paper again.",
        "Remote work has changed the way many companies organize their offices.",
        "The city plans to build a new bridge across the river by 2030.",
        "My favourite season is autumn because of the colours and the cool air.",
        "The concert was cancelled at the last minute due to a storm warning.",
        "Drink plenty of water and avoid direct sunlight during the heatwave.",
        "The startup raised twenty million dollars in its latest funding round.",
        "Tickets for the final match sold out within ten minutes.",
        "The professor explained the theory with a simple and clear example.",
        "Electric cars are becoming cheaper as battery technology improves.",
        "Where can I find the nearest pharmacy that is open on Sundays?",
        "The hotel room had a beautiful view of the mountains and the lake.",
        "Our flight was overbooked, so we were moved to a later departure.",
        "Learning a new language takes patience, practice and a lot of listening.",
        "The garden is full of roses, tulips and sunflowers in the summer.",
        "The company announced that it will hire five hundred new engineers.",
        "Please send me the updated spreadsheet before the end of the day.",
        "The ancient castle overlooks a quiet village by the sea.",
        "A good night's sleep helps the brain consolidate new memories.",
        "The bakery on the corner sells the best croissants in town.",
        "Traffic was heavy on the highway because of a broken-down truck.",
        "He forgot his umbrella and got soaked on the way to work.",
        "The new policy aims to reduce plastic waste in public buildings.",
        "Volunteers cleaned up the beach after the summer festival.",
        "The documentary follows a family of elephants across the savanna.",
        "Could you explain how neural networks learn from examples?",
        "The shop will be closed for renovation until the first of March.",
        "Fresh vegetables from the market taste much better than frozen ones.",
        "Our neighbours adopted a small dog from the local animal shelter.",
        "The river flooded the lower streets after three days of heavy rain.",
        "She was promoted to head of the research department last spring.",
        "The stars were unusually bright above the desert that night.",
    ]
}
