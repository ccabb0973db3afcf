namespace Serverless.Functions.Uploads.Tests;

/// <summary>The committed python3-onnx models (see Fixtures/make_models.py).</summary>
internal static class UploadFixtures
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    public static byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

    public static byte[] LinearRegressor => Bytes("linear_regressor.onnx");

    public static byte[] TensorClassifier => Bytes("tensor_classifier.onnx");

    public static byte[] UnsupportedFp16 => Bytes("unsupported_fp16.onnx");
}
