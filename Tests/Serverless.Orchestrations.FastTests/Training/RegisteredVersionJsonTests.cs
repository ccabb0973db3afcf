using System.Text.Json;
using Serverless.Orchestrations.Training;
using Xunit;

namespace Serverless.Orchestrations.FastTests.Training;

/// <summary>Runs recorded before registration said "already registered" (a bare version number in history) still replay.</summary>
public sealed class RegisteredVersionJsonTests
{
    [Theory]
    [InlineData("3", 3, false)]
    [InlineData("""{"Version":4,"AlreadyRegistered":true}""", 4, true)]
    [InlineData("""{"version":5,"alreadyRegistered":false,"later":"ignored"}""", 5, false)]
    public void A_registered_version_reads_from_a_number_or_an_object(string json, int version, bool already)
    {
        Assert.Equal(new RegisteredVersion(version, already), JsonSerializer.Deserialize<RegisteredVersion>(json));
    }

    [Fact]
    public void A_registered_version_round_trips()
    {
        var value = new RegisteredVersion(7, AlreadyRegistered: true);

        Assert.Equal(value, JsonSerializer.Deserialize<RegisteredVersion>(JsonSerializer.Serialize(value)));
        Assert.Equal(value, JsonSerializer.Deserialize<RegisteredVersion>(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), JsonSerializerOptions.Web));
    }
}
