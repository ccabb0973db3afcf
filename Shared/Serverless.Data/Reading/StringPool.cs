namespace Serverless.Data.Reading;

/// <summary>
/// Deduplicates the strings of one column (so a million rows of "yes"/"no" hold two strings), looking up by span
/// so a repeated value allocates nothing. Stops pooling past <see cref="Capacity"/> distinct values (free text).
/// </summary>
internal sealed class StringPool
{
    private const int Capacity = 100_000;
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> value)
    {
        if (_lookup.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var created = value.ToString();
        if (_strings.Count < Capacity)
        {
            _strings.Add(created);
        }

        return created;
    }
}
