using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.Domain.Models;

namespace Serverless.Onnx;

/// <summary>
/// The JSON form of a <see cref="ModelSignature"/> as stored in the ONNX metadata under
/// <see cref="ModelSignature.MetadataSignatureKey"/>: camelCase properties, enums as lowercase strings
/// (reading is case-insensitive and also accepts enum numbers). The exporter writes it with <see cref="Serialize"/>.
/// </summary>
public static class ModelSignatureJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(ModelSignature signature) => JsonSerializer.Serialize(signature, Options);

    /// <exception cref="OnnxModelException">The text is not a signature.</exception>
    public static ModelSignature Deserialize(string json)
    {
        try
        {
            var signature = JsonSerializer.Deserialize<ModelSignature>(json, Options)
                ?? throw new OnnxModelException("The model signature is null.");
            if (signature.Inputs is null || signature.Inputs.Any(i => string.IsNullOrEmpty(i.Name)))
            {
                throw new OnnxModelException("The model signature has no inputs, or an input without a name.");
            }

            return signature;
        }
        catch (JsonException e)
        {
            throw new OnnxModelException($"The model signature is not valid JSON: {e.Message}", e);
        }
    }
}
