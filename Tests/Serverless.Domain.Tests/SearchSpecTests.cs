using Serverless.Domain.Projects;

namespace Serverless.Domain.Tests;

public sealed class SearchSpecTests
{
    [Fact]
    public void Search_parses_and_round_trips()
    {
        var spec = ProjectSpecSerializer.Parse("""{ "search": { "strategy": "Bayesian", "budget": "PT5M", "maxCandidates": 40 } }""");

        Assert.Equal(new SearchSpec(SearchStrategy.Bayesian, TimeSpan.FromMinutes(5), 40), spec.Search);
        Assert.Equal(spec.Search, ProjectSpecSerializer.Parse(ProjectSpecSerializer.Serialize(spec)).Search);
    }

    [Fact]
    public void Without_search_a_sweep_is_a_grid_and_no_sweep_is_auto()
    {
        var plain = ProjectSpecSerializer.Parse("{}");
        var swept = ProjectSpecSerializer.Parse("""{ "sweep": { "lightgbm": { "numberOfLeaves": [8, 16] } } }""");

        Assert.Equal(SearchStrategy.Auto, plain.Search.EffectiveStrategy(plain.Sweep.Count > 0));
        Assert.Equal(SearchStrategy.Grid, swept.Search.EffectiveStrategy(swept.Sweep.Count > 0));
        Assert.Equal(plain.Search, ProjectSpecSerializer.Parse(ProjectSpecSerializer.Serialize(plain)).Search);
    }

    [Theory]
    [InlineData("""{ "search": { "strategy": "hyperband" } }""", "search.strategy: 'hyperband' is not one of auto, grid, random, bayesian")]
    [InlineData("""{ "search": { "budget": "5 minutes" } }""", "search.budget: '5 minutes' is not an ISO 8601 duration")]
    [InlineData("""{ "search": { "budget": "PT3H" } }""", "search.budget: PT3H is longer than the limit of PT2H")]
    [InlineData("""{ "search": { "maxCandidates": 0 } }""", "search.maxCandidates: must be a whole number from 1 to 64")]
    [InlineData("""{ "search": { "maxCandidates": 2.5 } }""", "search.maxCandidates: must be a whole number")]
    [InlineData("""{ "search": { "rounds": 3 } }""", "search.rounds: unknown field")]
    [InlineData("""{ "search": "auto" }""", "search: must be an object")]
    public void Wrong_search_fields_are_named(string json, string expected)
    {
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_candidates_scale_with_rows_and_trainers()
    {
        Assert.Equal(12, SearchDefaults.MaxCandidates(500, 4));
        Assert.Equal(32, SearchDefaults.MaxCandidates(50_000, 4));
        Assert.Equal(8, SearchDefaults.MaxCandidates(50_000, 1));
        Assert.Equal(ProjectSpecLimits.MaxSearchCandidates, SearchDefaults.MaxCandidates(50_000, 10));
    }
}
