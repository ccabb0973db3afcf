using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Serverless.Domain.Models;

namespace Serverless.Serving.Requests;

/// <summary>
/// A signature's input names as UTF-8, computed once per loaded signature, so a streaming reader matches JSON property
/// names without decoding them to strings.
/// </summary>
internal sealed class SignatureNames
{
    private static readonly ConditionalWeakTable<ModelSignature, SignatureNames> Cache = [];

    private readonly byte[][] _names;

    private SignatureNames(ModelSignature signature) =>
        _names = signature.Inputs.Select(input => Encoding.UTF8.GetBytes(input.Name)).ToArray();

    public static SignatureNames Of(ModelSignature signature) => Cache.GetValue(signature, static s => new SignatureNames(s));

    /// <summary>
    /// The index of the input the reader's current property name (or string) names, or -1 for a column the model does
    /// not use. Bodies usually list columns in signature order, so the search starts after <paramref name="previous"/>.
    /// </summary>
    public int IndexOf(ref Utf8JsonReader reader, int previous)
    {
        var count = _names.Length;
        for (var step = 1; step <= count; step++)
        {
            var index = (previous + step) % count;
            if (reader.ValueTextEquals(_names[index]))
            {
                return index;
            }
        }

        return -1;
    }
}
