using System.Diagnostics;
using Serverless.ML.Export;
using Serverless.ML.Training;
using Serverless.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.ML.Tests;

/// <summary>
/// Every exported model (each trainer, each task) passes the ONNX project's own checker with full shape inference,
/// run by Debian's <c>python3-onnx</c> under <c>/usr/bin/python3</c> (the <c>python3</c> on PATH may lack it), which
/// the test installs with <see cref="DebianPackages"/> when missing.
/// </summary>
public sealed class OnnxCheckerTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";
    private const string OnnxPackage = "python3-onnx";
    private const string OnnxModule = "/usr/lib/python3/dist-packages/onnx";
    private const string Check = "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('onnx', onnx.__version__, 'ok')";

    [Theory]
    [MemberData(nameof(ParityTests.TrainerByDataset), MemberType = typeof(ParityTests))]
    public async Task The_exported_model_passes_onnx_checker_with_full_check(string dataset, string trainer)
    {
        await DebianPackages.EnsureInstalledAsync(OnnxPackage, OnnxModule);
        var data = Datasets.LoadWithHardCases(dataset);
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(trainer), CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"checker-{dataset}-{trainer}-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, OnnxModelExporter.Export(candidate, candidate.Signature));
        try
        {
            var (exit, stdout, stderr) = Run(path);
            output.WriteLine($"{dataset} {trainer}: {stdout.Trim()} {stderr.Trim()}");
            Assert.True(exit == 0, $"onnx.checker rejected the {trainer} model for {dataset}: {stderr}");
            Assert.Contains("ok", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (int Exit, string Stdout, string Stderr) Run(string model)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing; install Debian's python3-onnx (apt-get install python3-onnx).");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Check);
        start.ArgumentList.Add(model);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.False(stderr.Contains("No module named 'onnx'", StringComparison.Ordinal),
            $"{Python} has no onnx module although {OnnxModule} exists; check Debian's python3-onnx.");
        return (process.ExitCode, stdout.Result, stderr);
    }
}
