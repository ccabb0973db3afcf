namespace Serverless.Orchestrations.ModelUploads;

/// <summary>What identifies an upload: the SHA-256 over its model and sidecar, and the sidecar's path when there is one.</summary>
public sealed record ModelUploadFingerprint(string Hash, string? SidecarPath);
