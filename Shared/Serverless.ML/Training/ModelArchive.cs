using Microsoft.ML;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Features;

namespace Serverless.ML.Training;

/// <summary>
/// Saves and loads the ML.NET model of a candidate (ML.NET's zip format) for lineage. The model reads the
/// <c>Features</c> vector; the featurization that builds it is the candidate's <see cref="FeaturePlan"/>
/// (also exported inside the ONNX graph).
/// </summary>
public static class ModelArchive
{
    public static byte[] Save(TrainedCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var ml = new MLContext(candidate.Setup.Seed);
        using var stream = new MemoryStream();
        ml.Model.Save(candidate.Model, FeatureDataView.Unlabeled([], candidate.Features.Width, 0).Schema, stream);
        return stream.ToArray();
    }

    /// <summary>The ML.NET model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidOperationException">The bytes are not an ML.NET model.</exception>
    public static ITransformer Load(byte[] archive, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var ml = new MLContext(seed);
        using var stream = new MemoryStream(archive, writable: false);
        try
        {
            return ml.Model.Load(stream, out _);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The bytes are not an ML.NET model: {e.Message}", e);
        }
    }

    /// <summary>
    /// The candidate saved by <see cref="Save"/>, whole again: its setup and featurization are fitted anew on the same
    /// training frame (both deterministic, as in <see cref="CandidateTrainer"/>), its validation metrics left empty.
    /// </summary>
    /// <exception cref="InvalidOperationException">The bytes are not an ML.NET model.</exception>
    /// <exception cref="ArgumentException">The training frame does not fit the setup.</exception>
    public static TrainedCandidate Restore(byte[] archive, CandidateSpec spec, TabularFrame train, string label, TaskKind task, IReadOnlyList<string> features, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var setup = TrainingSetup.FromTrainingFrame(train, label, task, features, seed);
        var plan = FeaturePlan.Fit(train, setup.Inputs, TrainerCatalog.Standardizes(spec.Trainer));
        return new TrainedCandidate(spec, setup, plan, Load(archive, seed), Evaluation.ModelEvaluation.Empty, TimeSpan.Zero);
    }
}
