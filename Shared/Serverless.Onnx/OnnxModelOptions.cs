namespace Serverless.Onnx;

/// <summary>How an <see cref="OnnxModel"/> session is tuned. The defaults suit the product's small tabular models.</summary>
public sealed record OnnxModelOptions
{
    /// <summary>Threads inside one operator. One is fastest for small models under concurrent requests.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Threads across independent operators (sequential execution when 1).</summary>
    public int InterOpThreads { get; init; } = 1;

    /// <summary>Reuses memory allocation plans between runs of the same shapes.</summary>
    public bool EnableMemoryPattern { get; init; } = true;

    /// <summary>Whether idle ONNX Runtime pool threads spin waiting for work (off: they would take CPU from request handling).</summary>
    public bool AllowSpinning { get; init; }
}
