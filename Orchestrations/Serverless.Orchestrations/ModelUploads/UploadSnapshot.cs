namespace Serverless.Orchestrations.ModelUploads;

/// <summary>
/// The uploaded <c>.onnx</c> bytes as validation read them, kept once under their SHA-256 in <c>artifacts</c>
/// (<see cref="UploadSnapshots"/>): every later step reads these bytes, never the upload blob again.
/// </summary>
/// <param name="Path">The snapshot's path in the artifacts container.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
/// <param name="Length">Their length in bytes.</param>
public sealed record UploadSnapshot(string Path, string Sha256, long Length);
