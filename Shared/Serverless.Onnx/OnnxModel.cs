using System.Collections.ObjectModel;
using Microsoft.ML.OnnxRuntime;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Onnx;

/// <summary>
/// An ONNX model loaded into one ONNX Runtime session. <see cref="Score"/> and <see cref="Run"/> are thread-safe:
/// one instance serves concurrent requests. Dispose it only when no call is in flight.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly Dictionary<string, TensorInfo> _inputsByName;
    private readonly Dictionary<string, TensorInfo> _outputsByName;
    private readonly SignatureScorer? _scorer;

    private OnnxModel(SessionOptions sessionOptions, InferenceSession session)
    {
        _sessionOptions = sessionOptions;
        _session = session;
        _runOptions = new RunOptions();
        Inputs = session.InputMetadata.Select(pair => Describe(pair.Key, pair.Value)).ToList();
        Outputs = session.OutputMetadata.Select(pair => Describe(pair.Key, pair.Value)).ToList();
        _inputsByName = Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        _outputsByName = Outputs.ToDictionary(o => o.Name, StringComparer.Ordinal);
        Metadata = new ReadOnlyDictionary<string, string>(
            new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal));
        if (Metadata.TryGetValue(ModelSignature.MetadataSignatureKey, out var json))
        {
            Signature = ModelSignatureJson.Deserialize(json);
            _scorer = new SignatureScorer(Signature, _inputsByName, _outputsByName);
        }
    }

    /// <summary>The product signature from the model's metadata; <c>null</c> for a foreign model.</summary>
    public ModelSignature? Signature { get; }

    /// <summary>The model's metadata_props.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Loads a model from its ONNX bytes.</summary>
    /// <exception cref="OnnxModelException">The bytes are not a model ONNX Runtime can run, or its signature does not match its graph.</exception>
    public static OnnxModel Load(byte[] model, OnnxModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxModelOptions();
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.OptimizeGraph ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            EnableMemoryPattern = options.EnableMemoryPattern,
            EnableCpuMemArena = options.EnableCpuMemArena,
        };

        // A spinning worker burns a core the web server and the other requests need; with one thread per operator the
        // session has no pool to spin, and these keep it so if the thread counts are raised.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        InferenceSession? session = null;
        try
        {
            session = new InferenceSession(model, sessionOptions);
            return new OnnxModel(sessionOptions, session);
        }
        catch (OnnxRuntimeException e)
        {
            sessionOptions.Dispose();
            throw new OnnxModelException($"ONNX Runtime cannot load the model: {e.Message}", e);
        }
        catch (OnnxModelException)
        {
            session?.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>Scores the frame's rows with the model's signature: one tensor per signature input, taken from the column of the same name.</summary>
    /// <exception cref="InvalidOperationException">The model has no product signature.</exception>
    /// <exception cref="OnnxModelException">The frame lacks a column the signature needs.</exception>
    public ModelPredictions Score(TabularFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var scorer = _scorer ?? throw new InvalidOperationException("The model has no product signature; score it with Run.");
        return scorer.Score(_session, _runOptions, frame);
    }

    /// <summary>Runs the graph on named tensors and returns the named outputs (all tensor outputs when <paramref name="outputNames"/> is null or empty).</summary>
    /// <exception cref="OnnxModelException">An input or output is unknown, missing, of the wrong type or shape.</exception>
    public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyCollection<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return TensorRunner.Run(_session, _runOptions, _inputsByName, _outputsByName, Outputs, inputs, outputNames);
    }

    public void Dispose()
    {
        _scorer?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private static TensorInfo Describe(string name, NodeMetadata metadata) =>
        metadata.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR
            ? new TensorInfo(name, TensorElementKinds.FromOrt(metadata.ElementDataType), metadata.Dimensions.Select(d => (long)d).ToArray())
            : new TensorInfo(name, TensorElementKind.Other, []) { IsTensor = false };
}
