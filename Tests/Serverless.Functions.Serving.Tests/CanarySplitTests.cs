using Serverless.Serving.Predictions;
using Serverless.Serving.Traffic;
using Xunit;

namespace Serverless.Functions.Serving.Tests;

public sealed class CanarySplitTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    public void Random_ids_go_to_the_challenger_in_about_the_configured_share(double share)
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 20_000).Select(_ => PredictionId.New(now)).ToList();
        var observed = ids.Count(id => CanarySplit.ToChallenger(id, share)) / (double)ids.Count;
        Assert.InRange(observed, share - 0.02, share + 0.02);
    }

    [Fact]
    public void The_decision_is_the_same_for_the_same_id_and_monotonic_in_the_share()
    {
        var id = PredictionId.New(DateTimeOffset.UtcNow);
        var fraction = CanarySplit.Fraction(id);
        Assert.Equal(fraction, CanarySplit.Fraction(id));
        Assert.False(CanarySplit.ToChallenger(id, fraction));
        Assert.True(CanarySplit.ToChallenger(id, Math.Min(1, fraction + 1e-9)));
        Assert.True(CanarySplit.ToChallenger(id, 1));
        Assert.False(CanarySplit.ToChallenger(id, 0));
    }

    [Theory]
    [InlineData(0, 0.5, "canary.version")]
    [InlineData(2, 0, "canary.share")]
    [InlineData(2, 1.01, "canary.share")]
    public void A_bad_canary_is_described_by_its_field(int version, double share, string field)
    {
        Assert.Contains(field, new TrafficPolicy(new CanaryRoute(version, share), null).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_policy_is_rejected_and_a_shadow_alone_is_valid()
    {
        Assert.NotNull(new TrafficPolicy(null, null).Describe());
        Assert.Null(new TrafficPolicy(null, new ShadowRoute(4)).Describe());
        Assert.Equal(4, new TrafficPolicy(null, new ShadowRoute(4)).TargetVersion);
    }
}
