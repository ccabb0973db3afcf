using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Serverless.Hosting;

namespace Serverless.Serving.Benchmarks;

/// <summary>The overhead baseline: a function on the same host, behind the same key check, answering constant JSON.</summary>
public sealed class ConstantFunctions
{
    private static readonly object Answer = new { predictions = new[] { new { label = "1", probabilities = new { zero = 0.25, one = 0.75 } } }, model = "bench", version = 1 };

    [Function("BenchConstant")]
    [RequiresKey(AuthorizationLevel.Function)]
    public IResult Constant(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/bench/constant")] HttpRequest request,
        FunctionContext context) => Results.Json(Answer);
}
