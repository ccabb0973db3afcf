using Serverless.Domain.Projects;
using Serverless.ML.Training;

namespace Serverless.ML.Tests;

/// <summary>Small, fast candidates for tests (few trees / iterations).</summary>
internal static class Candidates
{
    public static CandidateSpec Small(string trainer)
    {
        var parameters = new Dictionary<string, double>(TrainerCatalog.Defaults[trainer], StringComparer.Ordinal);
        if (parameters.ContainsKey("numberOfTrees"))
        {
            parameters["numberOfTrees"] = 20;
        }

        if (trainer == TrainerNames.FastForest)
        {
            parameters["minimumExampleCountPerLeaf"] = 5;
        }

        if (trainer == TrainerNames.LightGbm)
        {
            parameters["minimumExampleCountPerLeaf"] = 5;
            parameters["numberOfLeaves"] = 8;
        }

        return new CandidateSpec(trainer, parameters);
    }
}
