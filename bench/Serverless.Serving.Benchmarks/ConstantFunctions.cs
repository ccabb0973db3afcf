using Microsoft.AspNetCore.Http;
using Serverless.Hosting;

namespace Serverless.Serving.Benchmarks;

/// <summary>The overhead baseline: a function on the same host, behind the same key check, answering constant JSON.</summary>
public sealed class ConstantFunctions
{
    private static readonly object Answer = new { predictions = new[] { new { label = "1", probabilities = new { zero = 0.25, one = 0.75 } } }, model = "bench", version = 1 };

    [Function("BenchConstant")]
    public IResult Constant(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bench/constant")] HttpRequest request,
        FunctionContext context) => Results.Json(Answer);
}
