using Serverless.Data.Profiling;

namespace Serverless.Data.Tests;

public sealed class NumberSortTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    [InlineData(200_003)]
    public void Radix_sort_orders_like_array_sort(int count)
    {
        var random = new Random(count);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (i % 7) switch
            {
                0 => -random.NextDouble() * 1e6,
                1 => random.Next(-5, 5),
                2 => (i % 2 == 0 ? 1 : -1) * double.Epsilon * random.Next(1, 4),
                3 => -0.0,
                4 => double.MaxValue * (random.NextDouble() - 0.5),
                _ => random.NextDouble() * 1e-300 * (random.Next(2) == 0 ? 1 : -1),
            };
        }

        var expected = (double[])values.Clone();
        Array.Sort(expected);

        NumberSort.Sort(values);

        Assert.Equal(expected, values); // xunit compares doubles by value: -0 equals 0
        Assert.True(values.Zip(values.Skip(1)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void Radix_sort_of_one_repeated_value_keeps_it()
    {
        var values = Enumerable.Repeat(2.5, 10_000).ToArray();
        NumberSort.Sort(values);
        Assert.All(values, v => Assert.Equal(2.5, v));
    }
}
