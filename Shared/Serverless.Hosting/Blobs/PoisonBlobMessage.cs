namespace Serverless.Hosting.Blobs;

/// <summary>The message put on <c>webjobs-blobtrigger-poison</c> for a blob that failed too often (Azure Functions' shape).</summary>
public sealed record PoisonBlobMessage(string Type, string FunctionId, string BlobType, string ContainerName, string BlobName, string ETag);
