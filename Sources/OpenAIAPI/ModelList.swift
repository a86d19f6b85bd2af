/// `GET /v1/models`: `{"object": "list", "data": [...]}`.
public struct ModelListResponse: Codable, Sendable, Equatable {
    /// Always `"list"`.
    public var object: String
    public var data: [ModelObject]

    public init(data: [ModelObject]) {
        self.object = "list"
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case object, data
    }
}

/// One model as OpenAI describes it (`GET /v1/models/{id}` returns one of these alone).
public struct ModelObject: Codable, Sendable, Equatable {
    public var id: String
    /// Always `"model"`.
    public var object: String
    /// Unix time in seconds.
    public var created: Int
    public var ownedBy: String

    public init(id: String, created: Int, ownedBy: String) {
        self.id = id
        self.object = "model"
        self.created = created
        self.ownedBy = ownedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created
        case ownedBy = "owned_by"
    }
}
