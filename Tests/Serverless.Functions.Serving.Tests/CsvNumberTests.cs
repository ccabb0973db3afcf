using System.Globalization;
using System.Text;
using Serverless.Orchestrations.Scoring;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Serving.Tests;

/// <summary>The batch parser's numbers are bit for bit what <c>double.TryParse</c> (invariant, <c>NumberStyles.Float</c>) gives.</summary>
public sealed class CsvNumberTests
{
    [Theory]
    [InlineData("wine.csv")]
    [InlineData("diabetes.csv")]
    [InlineData("pima2.csv")]
    [InlineData("servo.csv")]
    public void Every_cell_of_a_real_dataset_parses_to_the_same_bits(string dataset)
    {
        var cells = File.ReadAllLines(SharedData.PathOf(dataset)).SelectMany(line => CsvRecord.Split(line)).ToList();
        var fast = AssertSameAsFullParser(cells);
        Assert.True(fast > cells.Count / 2, $"only {fast} of {cells.Count} cells took the fast path");
    }

    [Fact]
    public void Generated_numbers_in_every_format_parse_to_the_same_bits()
    {
        var random = new Random(20261203);
        var texts = new List<string>
        {
            "0", "-0", "0.0", "-0.0", ".5", "-.5", "5.", "1e22", "1e23", "1e-22", "1e-23", "9007199254740992", "9007199254740993",
            "123456789012345678", "1234567890123456789", "0.1", "0.3", "2.2250738585072014E-308", "4.9E-324", "1.7976931348623157E+308",
            "1e400", "-1e400", "+1.5", " 1.5", "1.5 ", "1,5", "1e", "e5", "-", ".", "", "NaN", "Infinity", "-Infinity", "1e+05", "1E-5",
            "00012.50", "1.5e0", "1.5e00001", "7e-10000", "12abc", "1..2", "--1", "0x10",
        };
        for (var i = 0; i < 100_000; i++)
        {
            var value = random.NextDouble() * Math.Pow(10, random.Next(-30, 30)) * (random.Next(2) == 0 ? -1 : 1);
            texts.Add(value.ToString("R", CultureInfo.InvariantCulture));
            texts.Add(value.ToString(random.Next(4) switch { 0 => "G6", 1 => "F3", 2 => "E5", _ => "G17" }, CultureInfo.InvariantCulture));
            texts.Add(((float)value).ToString("R", CultureInfo.InvariantCulture));

            // Random decimal strings: up to 20 digits, a fraction, an exponent.
            var digits = new string([.. Enumerable.Range(0, random.Next(1, 21)).Select(_ => (char)('0' + random.Next(10)))]);
            var point = random.Next(digits.Length + 1);
            var text = digits[..point] + (random.Next(3) > 0 ? "." : string.Empty) + digits[point..];
            texts.Add(random.Next(3) == 0 ? text + "e" + random.Next(-40, 40).ToString(CultureInfo.InvariantCulture) : text);
        }

        var fast = AssertSameAsFullParser(texts);
        Assert.True(fast > texts.Count / 2, $"only {fast} of {texts.Count} texts took the fast path");
    }

    /// <summary>Asserts each text parses (or fails) as the full parser does, to the same bits and the same float; returns how many took the fast path.</summary>
    private static int AssertSameAsFullParser(IEnumerable<string> texts)
    {
        var fast = 0;
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var expectedOk = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
            var ok = CsvNumber.TryParse(bytes, out var actual);
            Assert.True(expectedOk == ok, $"'{text}': full parser {expectedOk}, batch parser {ok}");
            if (ok)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"'{text}': {expected:R} vs {actual:R}");
                Assert.Equal(BitConverter.SingleToInt32Bits((float)expected), BitConverter.SingleToInt32Bits((float)actual));
            }

            fast += CsvNumber.TryParseExact(bytes, out _) ? 1 : 0;
        }

        return fast;
    }
}
