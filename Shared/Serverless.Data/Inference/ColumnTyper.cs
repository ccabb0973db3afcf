using System.Globalization;
using Serverless.Data.Reading;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Inference;

/// <summary>
/// Decides each column's <see cref="ColumnKind"/> and builds its typed values. Rules, in order:
/// <list type="bullet">
/// <item>A type declared in the spec (<c>number</c>, <c>category</c>, <c>boolean</c>, <c>text</c>, <c>datetime</c>) wins; values that do not fit become missing and are reported as <c>type-mismatch</c>.</item>
/// <item>Every present value an unquoted number: <see cref="ColumnKind.Numeric"/>. A 0/1 column stays numeric unless declared boolean (a 0/1 label still becomes a binary task).</item>
/// <item>Values quoted in the file are strings, even if they are digits (servo's <c>"5"</c> is a code): quoted digits are categorical. Exception: a file that quotes every value.</item>
/// <item>Strings (except in the label) that are all true/false, yes/no, t/f or y/n: <see cref="ColumnKind.Boolean"/> (stored 1/0).</item>
/// <item>Strings that are all ISO 8601 (or M/d/yyyy, d.M.yyyy) timestamps: <see cref="ColumnKind.DateTime"/>.</item>
/// <item>Other strings: <see cref="ColumnKind.Categorical"/> when at most <see cref="DatasetIngestionOptions.CategoricalMaxDistinct"/> distinct values and at most <see cref="DatasetIngestionOptions.CategoricalMaxDistinctFraction"/> of the present values; else <see cref="ColumnKind.Text"/>.</item>
/// </list>
/// </summary>
public sealed class ColumnTyper(DatasetIngestionOptions options)
{
    /// <param name="isLabel">The label column: yes/no strings stay categorical, so class names survive.</param>
    public TypedColumn Type(RawColumn raw, string? declaredType, bool isLabel = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return declaredType switch
        {
            null => new TypedColumn(Infer(raw, isLabel), []),
            "number" => ToNumeric(raw),
            "boolean" => ToBoolean(raw),
            "datetime" => ToDateTime(raw),
            "category" => new TypedColumn(new TextColumn(raw.Name, ColumnKind.Categorical, Texts(raw)), []),
            "text" => new TypedColumn(new TextColumn(raw.Name, ColumnKind.Text, Texts(raw)), []),
            _ => throw new ArgumentOutOfRangeException(nameof(declaredType), declaredType, "Unknown declared column type."),
        };
    }

    private FrameColumn Infer(RawColumn raw, bool isLabel)
    {
        if (raw.Numbers is { } numbers)
        {
            return new NumericColumn(raw.Name, raw.SourceKind ?? ColumnKind.Numeric, numbers);
        }

        var texts = raw.Texts!;
        if (raw.SourceKind is ColumnKind.DateTime)
        {
            return new TextColumn(raw.Name, ColumnKind.DateTime, texts);
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var present = 0;
        foreach (var text in texts)
        {
            if (text is not null)
            {
                present++;
                distinct.Add(text);
            }
        }

        if (!isLabel && present > 0 && IsBooleanVocabulary(distinct))
        {
            return ToBoolean(raw).Column;
        }

        if (present > 0 && distinct.All(ValueParsers.IsDateTime))
        {
            return new TextColumn(raw.Name, ColumnKind.DateTime, texts);
        }

        var categorical = distinct.Count <= options.CategoricalMaxDistinct
            && (distinct.Count <= 2 || distinct.Count <= options.CategoricalMaxDistinctFraction * present);
        return new TextColumn(raw.Name, categorical ? ColumnKind.Categorical : ColumnKind.Text, texts);
    }

    /// <summary>One word for true and one for false at most (so "yes"/"true" mixed in one column stays categorical).</summary>
    private static bool IsBooleanVocabulary(HashSet<string> distinct)
    {
        var words = new Dictionary<bool, string>();
        foreach (var text in distinct)
        {
            if (!ValueParsers.TryBoolean(text, allowDigits: false, out var flag))
            {
                return false;
            }

            var word = text.Trim().ToLowerInvariant();
            if (words.TryGetValue(flag, out var seen) && seen != word)
            {
                return false;
            }

            words[flag] = word;
        }

        return true;
    }

    private TypedColumn ToNumeric(RawColumn raw)
    {
        if (raw.Numbers is { } numbers)
        {
            return new TypedColumn(new NumericColumn(raw.Name, numbers), []);
        }

        var texts = raw.Texts!;
        var values = new double[texts.Length];
        var bad = new List<int>();
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                values[i] = double.NaN;
            }
            else if (ValueParsers.TryNumber(texts[i]!, out var value))
            {
                values[i] = value;
            }
            else
            {
                values[i] = double.NaN;
                bad.Add(i);
            }
        }

        return new TypedColumn(new NumericColumn(raw.Name, values), Mismatch(raw, bad, "a number"));
    }

    private TypedColumn ToBoolean(RawColumn raw)
    {
        var values = new double[raw.Length];
        var bad = new List<int>();
        for (var i = 0; i < values.Length; i++)
        {
            if (raw.Numbers is { } numbers)
            {
                values[i] = numbers[i] is 0 or 1 || double.IsNaN(numbers[i]) ? numbers[i] : double.NaN;
                if (!double.IsNaN(numbers[i]) && numbers[i] is not (0 or 1))
                {
                    bad.Add(i);
                }
            }
            else if (raw.Texts![i] is not { } text)
            {
                values[i] = double.NaN;
            }
            else if (ValueParsers.TryBoolean(text, allowDigits: true, out var flag))
            {
                values[i] = flag ? 1 : 0;
            }
            else
            {
                values[i] = double.NaN;
                bad.Add(i);
            }
        }

        return new TypedColumn(new NumericColumn(raw.Name, ColumnKind.Boolean, values), Mismatch(raw, bad, "a boolean (true/false, yes/no, t/f, y/n, 1/0)"));
    }

    private TypedColumn ToDateTime(RawColumn raw)
    {
        var texts = Texts(raw);
        var bad = new List<int>();
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is { } text && !ValueParsers.IsDateTime(text))
            {
                bad.Add(i);
                texts[i] = null;
            }
        }

        return new TypedColumn(new TextColumn(raw.Name, ColumnKind.DateTime, texts), Mismatch(raw, bad, "a date or timestamp"));
    }

    private static string?[] Texts(RawColumn raw)
    {
        if (raw.Texts is { } texts)
        {
            return (string?[])texts.Clone();
        }

        var pool = new Dictionary<double, string>();
        return raw.Numbers!.Select(n => double.IsNaN(n) ? null : Format(pool, n)).ToArray();

        static string Format(Dictionary<double, string> pool, double n)
        {
            if (!pool.TryGetValue(n, out var text))
            {
                text = n.ToString("R", CultureInfo.InvariantCulture);
                pool[n] = text;
            }

            return text;
        }
    }

    private IReadOnlyList<ValidationIssue> Mismatch(RawColumn raw, List<int> bad, string expected)
    {
        if (bad.Count == 0)
        {
            return [];
        }

        var first = bad[0];
        var example = raw.Texts?[first] ?? raw.Numbers![first].ToString("R", CultureInfo.InvariantCulture);
        return
        [
            new ValidationIssue(ValidationRules.TypeMismatch, raw.Name,
                $"Column '{raw.Name}' is declared {expected} but {bad.Count} value(s) are not, e.g. '{example}' in row {first + 1}.",
                bad.Take(options.ExampleRows).Select(r => r + 1).ToList()),
        ];
    }
}
