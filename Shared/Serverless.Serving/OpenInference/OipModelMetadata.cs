namespace Serverless.Serving.OpenInference;

/// <summary>The model metadata response of the Open Inference Protocol.</summary>
public sealed record OipModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<OipTensorMetadata> Inputs,
    IReadOnlyList<OipTensorMetadata> Outputs);

/// <summary>A tensor's name, datatype and shape (-1 for a dynamic dimension).</summary>
public sealed record OipTensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>The server metadata response of the Open Inference Protocol.</summary>
public sealed record OipServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);
