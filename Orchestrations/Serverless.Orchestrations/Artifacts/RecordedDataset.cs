using Serverless.Registry;

namespace Serverless.Orchestrations.Artifacts;

/// <summary>
/// A dataset version as recorded, and the artifacts this ingestion derived under its spec. The version keeps pointing at
/// what it was created with; a run names the paths here, which are those of the spec it ran under.
/// </summary>
public sealed record RecordedDataset(DatasetVersion Version, string ReportPath, string ProfilePath, string FramePath);
