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

    /// <summary>
    /// Whether CPU allocations go through ONNX Runtime's memory arena, which grows to the largest demand seen and never
    /// gives memory back (fast for a served model; off for a model nobody has vetted, so its memory is freed as it goes).
    /// </summary>
    public bool EnableCpuMemArena { get; init; } = true;

    /// <summary>
    /// Whether ONNX Runtime optimizes the graph at load. Its constant folding runs nodes while the session is created,
    /// so a crafted graph could allocate at load; off for a model nobody has vetted.
    /// </summary>
    public bool OptimizeGraph { get; init; } = true;

    /// <summary>
    /// For a model nobody has vetted yet (an upload): no memory arena (memory is returned as soon as a tensor is freed, and
    /// no arena grows to an attacker's largest request), no memory pattern pre-allocation from declared shapes, and no graph
    /// optimization (nothing of the graph runs while the session is created). ONNX Runtime has no per-session hard memory
    /// cap on CPU; the shape and size checks before loading bound what a graph can declare.
    /// </summary>
    public static OnnxModelOptions Untrusted { get; } = new() { EnableCpuMemArena = false, EnableMemoryPattern = false, OptimizeGraph = false };
}
