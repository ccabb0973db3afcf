using System.Globalization;

namespace Serverless.Serving.Traffic;

/// <summary>
/// How a model's default (production) traffic is shared: a <see cref="Canary"/> answers a share of requests with a
/// challenger version; a <see cref="Shadow"/> version scores the same rows off the request path, for the log only.
/// </summary>
public sealed record TrafficPolicy(CanaryRoute? Canary, ShadowRoute? Shadow)
{
    /// <summary>The version the policy routes to (the canary's, else the shadow's).</summary>
    public int? TargetVersion => Canary?.Version ?? Shadow?.Version;

    /// <summary>A message naming the bad field, or <c>null</c> when the policy is valid.</summary>
    public string? Describe()
    {
        if (Canary is null && Shadow is null)
        {
            return "Give 'canary' ({\"version\": 4, \"share\": 0.1}) or 'shadow' ({\"version\": 4}); DELETE clears the policy.";
        }

        if (Canary is { } canary)
        {
            if (canary.Version < 1)
            {
                return "Field 'canary.version' must be a model version (1 or more).";
            }

            if (!(canary.Share > 0 && canary.Share <= 1))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Field 'canary.share' must be above 0 and at most 1, not {canary.Share}.");
            }
        }

        return Shadow is { Version: < 1 } ? "Field 'shadow.version' must be a model version (1 or more)." : null;
    }
}

/// <summary>A challenger version answering <see cref="Share"/> (0..1] of default requests.</summary>
public sealed record CanaryRoute(int Version, double Share);

/// <summary>A version that scores mirrored requests; its predictions are only logged.</summary>
public sealed record ShadowRoute(int Version);
