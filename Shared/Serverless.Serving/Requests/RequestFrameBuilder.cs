using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Serving.Requests;

/// <summary>Collects the request's cells for each signature input and checks that every input was given.</summary>
internal sealed class RequestFrameBuilder
{
    private readonly Dictionary<string, ColumnValues> _columns;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly ModelSignature _signature;

    public RequestFrameBuilder(ModelSignature signature, int rows)
    {
        _signature = signature;
        _columns = signature.Inputs.ToDictionary(input => input.Name, input => new ColumnValues(input, rows), StringComparer.Ordinal);
    }

    /// <summary>The input named <paramref name="name"/>, or <c>null</c> for a column the model does not use.</summary>
    public ColumnValues? Column(string name)
    {
        if (!_columns.TryGetValue(name, out var column))
        {
            return null;
        }

        _seen.Add(name);
        return column;
    }

    public TabularFrame Build()
    {
        var missing = _signature.Inputs.Where(input => !_seen.Contains(input.Name)).Select(input => $"'{input.Name}'").ToList();
        if (missing.Count > 0)
        {
            throw new ServingRequestException(
                $"Missing column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}; the model needs: {string.Join(", ", _signature.Inputs.Select(i => i.Name))}.");
        }

        return new TabularFrame(_signature.Inputs.Select(input => _columns[input.Name].ToColumn()).ToList());
    }
}
