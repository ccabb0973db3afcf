namespace Serverless.Serving.Traffic;

/// <summary>
/// The canary decision per request, deterministic in its prediction id: the id's 64-bit FNV-1a hash, as a fraction
/// of 2^64, below the share means the challenger answers. Random ids give the configured share on average.
/// </summary>
public static class CanarySplit
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static bool ToChallenger(string predictionId, double share)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        return share >= 1 || (share > 0 && Fraction(predictionId) < share);
    }

    /// <summary>The id's position in [0, 1).</summary>
    public static double Fraction(string predictionId)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        var hash = Offset;
        foreach (var c in predictionId)
        {
            hash = (hash ^ c) * Prime;
        }

        // Final avalanche (splitmix64), so ids differing only in their last digits spread over the whole range.
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
