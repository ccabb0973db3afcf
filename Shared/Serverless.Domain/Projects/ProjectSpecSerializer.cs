using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Serverless.Domain.Models;

namespace Serverless.Domain.Projects;

/// <summary>
/// Reads and writes <c>project.json</c>. Reading checks every field and reports all problems at once,
/// each naming its field (for example <c>split.test: must be between 0 and 0.9</c>); unknown fields are errors,
/// so a typo never silently falls back to a default. Specs outside <see cref="ProjectSpecLimits"/> (hyperparameter
/// ranges, sweep size, schedule interval, approval timeout) are refused the same way.
/// </summary>
public static class ProjectSpecSerializer
{
    private static readonly string[] TopLevelFields =
    [
        "label", "task", "features", "ignore", "trainers", "sweep", "search", "metric", "split", "validation", "gates",
        "promotion", "approvalTimeout", "schedule", "monitoring", "slices",
    ];

    /// <exception cref="ProjectSpecException">The text is not JSON, or a field is wrong.</exception>
    public static ProjectSpec Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ProjectSpecException($"project.json is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {e.Message}");
        }

        if (root is not JsonObject obj)
        {
            throw new ProjectSpecException("project.json must be a JSON object.");
        }

        var errors = new List<string>();
        var reader = new FieldReader(errors);
        foreach (var (name, _) in obj)
        {
            if (!TopLevelFields.Contains(name, StringComparer.Ordinal))
            {
                errors.Add($"{name}: unknown field (known: {string.Join(", ", TopLevelFields)})");
            }
        }

        var spec = new ProjectSpec
        {
            Label = reader.String(obj, "label"),
            Task = reader.Enum<TaskKind>(obj, "task"),
            Features = reader.Strings(obj, "features"),
            Ignore = reader.Strings(obj, "ignore") ?? [],
            Trainers = ReadTrainers(reader, obj, errors),
            Sweep = ReadSweep(obj["sweep"], errors),
            Search = ReadSearch(reader, obj["search"], errors),
            Metric = reader.String(obj, "metric")?.ToLowerInvariant(),
            Split = ReadSplit(reader, obj["split"], errors),
            Validation = ReadValidation(reader, obj["validation"], errors),
            Gates = ReadGates(reader, obj["gates"], errors),
            Slices = ReadSlices(reader, obj, errors),
            Promotion = reader.Enum<PromotionMode>(obj, "promotion") ?? PromotionMode.Auto,
            ApprovalTimeout = ReadDuration(reader.String(obj, "approvalTimeout"), "approvalTimeout", errors) ?? TimeSpan.FromDays(3),
            Schedule = ReadSchedule(reader.String(obj, "schedule"), "schedule", errors),
            Monitoring = ReadMonitoring(reader, obj["monitoring"], errors),
        };

        if (spec.Features is not null && spec.Label is not null && spec.Features.Contains(spec.Label, StringComparer.Ordinal))
        {
            errors.Add($"features: must not include the label column '{spec.Label}'");
        }

        CheckSweepSize(spec, errors);
        if (spec.ApprovalTimeout > ProjectSpecLimits.MaxApprovalTimeout)
        {
            errors.Add($"approvalTimeout: {XmlConvert.ToString(spec.ApprovalTimeout)} is longer than the limit of {XmlConvert.ToString(ProjectSpecLimits.MaxApprovalTimeout)}");
        }

        return errors.Count == 0 ? spec : throw new ProjectSpecException(errors);
    }

    public static string Serialize(ProjectSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var obj = new JsonObject
        {
            ["label"] = spec.Label,
            ["task"] = spec.Task?.ToString().ToLowerInvariant(),
            ["features"] = spec.Features is null ? null : new JsonArray(spec.Features.Select(f => (JsonNode?)f).ToArray()),
            ["ignore"] = new JsonArray(spec.Ignore.Select(f => (JsonNode?)f).ToArray()),
            ["trainers"] = new JsonArray(spec.Trainers.Select(f => (JsonNode?)f).ToArray()),
            ["sweep"] = new JsonObject(spec.Sweep.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)new JsonObject(
                t.Value.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonArray(p.Value.Select(v => (JsonNode?)v).ToArray()))))))),
            ["search"] = SerializeSearch(spec.Search),
            ["metric"] = spec.Metric,
            ["split"] = new JsonObject { ["test"] = spec.Split.Test, ["validation"] = spec.Split.Validation, ["seed"] = spec.Split.Seed },
            ["validation"] = new JsonObject
            {
                ["minRows"] = spec.Validation.MinRows,
                ["maxMissingFraction"] = spec.Validation.MaxMissingFraction,
                ["columns"] = new JsonObject(spec.Validation.Columns.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)new JsonObject
                {
                    ["type"] = c.Value.Type,
                    ["min"] = c.Value.Min,
                    ["max"] = c.Value.Max,
                    ["required"] = c.Value.Required,
                    ["values"] = c.Value.Values is null ? null : new JsonArray(c.Value.Values.Select(v => (JsonNode?)v).ToArray()),
                }))),
            },
            ["gates"] = new JsonObject
            {
                ["min"] = new JsonObject(spec.Gates.Min.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
                ["mustBeatProductionBy"] = spec.Gates.MustBeatProductionBy,
                ["maxSliceGap"] = new JsonObject(spec.Gates.MaxSliceGap.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            },
            ["slices"] = new JsonArray(spec.Slices.Select(f => (JsonNode?)f).ToArray()),
            ["promotion"] = spec.Promotion.ToString().ToLowerInvariant(),
            ["approvalTimeout"] = XmlConvert.ToString(spec.ApprovalTimeout),
            ["schedule"] = spec.Schedule,
            ["monitoring"] = new JsonObject
            {
                ["schedule"] = spec.Monitoring.Schedule,
                ["driftShare"] = spec.Monitoring.DriftShare,
                ["retrainOnDrift"] = spec.Monitoring.RetrainOnDrift,
            },
        };
        return obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static IReadOnlyList<string> ReadTrainers(FieldReader reader, JsonObject obj, List<string> errors)
    {
        var trainers = reader.Strings(obj, "trainers");
        if (trainers is null)
        {
            return TrainerNames.All;
        }

        var normalized = trainers.Select(t => t.ToLowerInvariant()).Distinct().ToList();
        foreach (var unknown in normalized.Where(t => !TrainerNames.All.Contains(t)))
        {
            errors.Add($"trainers: unknown trainer '{unknown}' (known: {string.Join(", ", TrainerNames.All)})");
        }

        if (normalized.Count == 0)
        {
            errors.Add("trainers: name at least one trainer");
        }

        return normalized;
    }

    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>> ReadSweep(JsonNode? node, List<string> errors)
    {
        var sweep = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<double>>>(StringComparer.OrdinalIgnoreCase);
        if (node is null)
        {
            return sweep;
        }

        if (node is not JsonObject trainers)
        {
            errors.Add("sweep: must be an object of trainer name to hyperparameter grids");
            return sweep;
        }

        foreach (var (trainer, grid) in trainers)
        {
            if (!TrainerNames.All.Contains(trainer.ToLowerInvariant()))
            {
                errors.Add($"sweep.{trainer}: unknown trainer (known: {string.Join(", ", TrainerNames.All)})");
                continue;
            }

            if (grid is not JsonObject parameters)
            {
                errors.Add($"sweep.{trainer}: must be an object of hyperparameter name to a list of values");
                continue;
            }

            var values = new Dictionary<string, IReadOnlyList<double>>(StringComparer.OrdinalIgnoreCase);
            foreach (var (parameter, list) in parameters)
            {
                var numbers = list is JsonArray array
                    ? array.Select(v => v is JsonValue value && value.TryGetValue<double>(out var d) ? d : (double?)null).ToList()
                    : null;
                if (numbers is null || numbers.Count == 0 || numbers.Any(n => n is null))
                {
                    errors.Add($"sweep.{trainer}.{parameter}: must be a non-empty list of numbers");
                    continue;
                }

                if (!ProjectSpecLimits.Hyperparameters.TryGetValue(parameter, out var range))
                {
                    errors.Add($"sweep.{trainer}.{parameter}: unknown hyperparameter (known: {string.Join(", ", ProjectSpecLimits.Hyperparameters.Keys)})");
                    continue;
                }

                if (numbers.FirstOrDefault(n => !range.Contains(n!.Value)) is { } outside)
                {
                    errors.Add($"sweep.{trainer}.{parameter}: {outside.ToString(CultureInfo.InvariantCulture)} is out of range; each value must be {range.Describe()}");
                    continue;
                }

                values[parameter] = numbers.Select(n => n!.Value).ToList();
            }

            sweep[trainer.ToLowerInvariant()] = values;
        }

        return sweep;
    }

    private static JsonObject SerializeSearch(SearchSpec search)
    {
        var obj = new JsonObject();
        if (search.Strategy is { } strategy)
        {
            obj["strategy"] = strategy.ToString().ToLowerInvariant();
        }

        if (search.Budget is { } budget)
        {
            obj["budget"] = XmlConvert.ToString(budget);
        }

        if (search.MaxCandidates is { } max)
        {
            obj["maxCandidates"] = max;
        }

        return obj;
    }

    private static SearchSpec ReadSearch(FieldReader reader, JsonNode? node, List<string> errors)
    {
        if (node is null)
        {
            return new SearchSpec();
        }

        if (node is not JsonObject search)
        {
            errors.Add("search: must be an object with strategy, budget and maxCandidates");
            return new SearchSpec();
        }

        reader.RejectUnknown(search, "search", "strategy", "budget", "maxCandidates");
        SearchStrategy? strategy = null;
        if (reader.String(search, "strategy", "search.strategy") is { } text)
        {
            if (System.Enum.TryParse<SearchStrategy>(text, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !char.IsDigit(text[0]))
            {
                strategy = parsed;
            }
            else
            {
                errors.Add($"search.strategy: '{text}' is not one of {string.Join(", ", System.Enum.GetNames<SearchStrategy>().Select(n => n.ToLowerInvariant()))}");
            }
        }

        var budget = ReadDuration(reader.String(search, "budget", "search.budget"), "search.budget", errors);
        if (budget > ProjectSpecLimits.MaxSearchBudget)
        {
            errors.Add($"search.budget: {XmlConvert.ToString(budget.Value)} is longer than the limit of {XmlConvert.ToString(ProjectSpecLimits.MaxSearchBudget)}");
        }

        var max = reader.Integer(search, "maxCandidates", "search.maxCandidates");
        if (max is < 1 or > ProjectSpecLimits.MaxSearchCandidates)
        {
            errors.Add($"search.maxCandidates: must be a whole number from 1 to {ProjectSpecLimits.MaxSearchCandidates}");
        }

        return new SearchSpec(strategy, budget, max);
    }

    private static SplitSpec ReadSplit(FieldReader reader, JsonNode? node, List<string> errors)
    {
        if (node is null)
        {
            return new SplitSpec();
        }

        if (node is not JsonObject split)
        {
            errors.Add("split: must be an object with test, validation and seed");
            return new SplitSpec();
        }

        reader.RejectUnknown(split, "split", "test", "validation", "seed");
        var test = reader.Number(split, "test", "split.test") ?? 0.2;
        var validation = reader.Number(split, "validation", "split.validation") ?? 0.1;
        var seed = reader.Integer(split, "seed", "split.seed") ?? 42;
        if (test is <= 0 or > 0.9)
        {
            errors.Add("split.test: must be greater than 0 and at most 0.9");
        }

        // The sum is only checked when test itself is valid, so one wrong value gives one error.
        if (validation is < 0 or > 0.9 || (test is > 0 and <= 0.9 && test + validation >= 1))
        {
            errors.Add("split.validation: must be between 0 and 0.9, and test + validation must be below 1");
        }

        return new SplitSpec(test, validation, seed);
    }

    private static ValidationSpec ReadValidation(FieldReader reader, JsonNode? node, List<string> errors)
    {
        if (node is null)
        {
            return new ValidationSpec();
        }

        if (node is not JsonObject validation)
        {
            errors.Add("validation: must be an object");
            return new ValidationSpec();
        }

        reader.RejectUnknown(validation, "validation", "minRows", "maxMissingFraction", "columns");
        var minRows = reader.Integer(validation, "minRows", "validation.minRows") ?? 10;
        var maxMissing = reader.Number(validation, "maxMissingFraction", "validation.maxMissingFraction") ?? 0.5;
        if (minRows < 1)
        {
            errors.Add("validation.minRows: must be at least 1");
        }

        if (maxMissing is < 0 or > 1)
        {
            errors.Add("validation.maxMissingFraction: must be between 0 and 1");
        }

        var columns = new Dictionary<string, ColumnExpectation>(StringComparer.Ordinal);
        if (validation["columns"] is JsonObject columnNodes)
        {
            foreach (var (column, expectationNode) in columnNodes)
            {
                var path = $"validation.columns.{column}";
                if (expectationNode is not JsonObject expectation)
                {
                    errors.Add($"{path}: must be an object");
                    continue;
                }

                reader.RejectUnknown(expectation, path, "type", "min", "max", "required", "values");
                var type = reader.String(expectation, "type", $"{path}.type")?.ToLowerInvariant();
                if (type is not null and not ("number" or "category" or "boolean" or "text" or "datetime"))
                {
                    errors.Add($"{path}.type: '{type}' is not one of number, category, boolean, text, datetime");
                }

                var min = reader.Number(expectation, "min", $"{path}.min");
                var max = reader.Number(expectation, "max", $"{path}.max");
                if (min > max)
                {
                    errors.Add($"{path}: min ({min}) is greater than max ({max})");
                }

                columns[column] = new ColumnExpectation
                {
                    Type = type,
                    Min = min,
                    Max = max,
                    Required = reader.Boolean(expectation, "required", $"{path}.required") ?? false,
                    Values = reader.Strings(expectation, "values", $"{path}.values", allowScalars: true),
                };
            }
        }
        else if (validation["columns"] is not null)
        {
            errors.Add("validation.columns: must be an object of column name to expectations");
        }

        return new ValidationSpec { MinRows = minRows, MaxMissingFraction = maxMissing, Columns = columns };
    }

    private static GateSpec ReadGates(FieldReader reader, JsonNode? node, List<string> errors)
    {
        if (node is null)
        {
            return new GateSpec();
        }

        if (node is not JsonObject gates)
        {
            errors.Add("gates: must be an object");
            return new GateSpec();
        }

        reader.RejectUnknown(gates, "gates", "min", "mustBeatProductionBy", "maxSliceGap");
        var minimums = ReadMetricValues(reader, gates, "min", "minimum value", errors);
        var maxSliceGap = ReadMetricValues(reader, gates, "maxSliceGap", "largest allowed gap", errors);
        foreach (var (metric, gap) in maxSliceGap.Where(g => g.Value < 0))
        {
            errors.Add($"gates.maxSliceGap.{metric}: {gap.ToString(CultureInfo.InvariantCulture)} must not be negative");
        }

        double? beat = gates.ContainsKey("mustBeatProductionBy") && gates["mustBeatProductionBy"] is null
            ? (double?)null
            : reader.Number(gates, "mustBeatProductionBy", "gates.mustBeatProductionBy") ?? 0.0;
        return new GateSpec { Min = minimums, MustBeatProductionBy = beat, MaxSliceGap = maxSliceGap };
    }

    private static Dictionary<string, double> ReadMetricValues(FieldReader reader, JsonObject gates, string field, string meaning, List<string> errors)
    {
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (gates[field] is JsonObject metrics)
        {
            foreach (var (metric, _) in metrics)
            {
                if (reader.Number(metrics, metric, $"gates.{field}.{metric}") is double value)
                {
                    values[metric.ToLowerInvariant()] = value;
                }
            }
        }
        else if (gates[field] is not null)
        {
            errors.Add($"gates.{field}: must be an object of metric name to {meaning}");
        }

        return values;
    }

    private static IReadOnlyList<string> ReadSlices(FieldReader reader, JsonObject obj, List<string> errors)
    {
        var slices = reader.Strings(obj, "slices") ?? [];
        if (slices.Count > ProjectSpecLimits.MaxSliceColumns)
        {
            errors.Add($"slices: {slices.Count} columns; at most {ProjectSpecLimits.MaxSliceColumns}");
        }

        foreach (var duplicate in slices.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"slices: column '{duplicate.Key}' is named twice");
        }

        return slices;
    }

    private static MonitoringSpec ReadMonitoring(FieldReader reader, JsonNode? node, List<string> errors)
    {
        if (node is null)
        {
            return new MonitoringSpec();
        }

        if (node is not JsonObject monitoring)
        {
            errors.Add("monitoring: must be an object");
            return new MonitoringSpec();
        }

        reader.RejectUnknown(monitoring, "monitoring", "schedule", "driftShare", "retrainOnDrift");
        var share = reader.Number(monitoring, "driftShare", "monitoring.driftShare") ?? 0.5;
        if (share is <= 0 or > 1)
        {
            errors.Add("monitoring.driftShare: must be greater than 0 and at most 1");
        }

        return new MonitoringSpec
        {
            Schedule = ReadSchedule(reader.String(monitoring, "schedule", "monitoring.schedule"), "monitoring.schedule", errors),
            DriftShare = share,
            RetrainOnDrift = reader.Boolean(monitoring, "retrainOnDrift", "monitoring.retrainOnDrift") ?? false,
        };
    }

    private static TimeSpan? ReadDuration(string? text, string path, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            var duration = XmlConvert.ToTimeSpan(text);
            if (duration <= TimeSpan.Zero)
            {
                errors.Add($"{path}: must be a positive ISO 8601 duration such as P3D or PT12H");
                return null;
            }

            return duration;
        }
        catch (FormatException)
        {
            errors.Add($"{path}: '{text}' is not an ISO 8601 duration such as P3D or PT12H");
            return null;
        }
    }

    private static string? ReadSchedule(string? text, string path, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!NcrontabExpression.TryValidate(text, out var problem))
        {
            errors.Add($"{path}: {problem}");
            return null;
        }

        if (ScheduleInterval.FiresMoreOftenThan(text, ProjectSpecLimits.MinScheduleInterval, out var gap))
        {
            errors.Add($"{path}: '{text}' fires {Describe(gap)} apart; schedules may fire at most every {Describe(ProjectSpecLimits.MinScheduleInterval)}");
            return null;
        }

        return text;
    }

    private static string Describe(TimeSpan interval) =>
        interval.TotalMinutes >= 1 && interval.Seconds == 0 ? $"{interval.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes" : $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";

    /// <summary>The candidates a run trains: per project trainer, the product of its swept value lists (1 when not swept).</summary>
    private static void CheckSweepSize(ProjectSpec spec, List<string> errors)
    {
        long total = 0;
        foreach (var trainer in spec.Trainers)
        {
            long candidates = 1;
            if (spec.Sweep.TryGetValue(trainer, out var grid))
            {
                foreach (var values in grid.Values)
                {
                    candidates *= values.Count;
                }
            }

            total += candidates;
        }

        if (total > ProjectSpecLimits.MaxSweepCandidates)
        {
            errors.Add($"sweep: the grid has {total} candidates across trainers {string.Join(", ", spec.Trainers)}; at most {ProjectSpecLimits.MaxSweepCandidates} are allowed");
        }
    }

    /// <summary>Reads typed fields, recording an error (with the field's path) for each wrong one.</summary>
    private sealed class FieldReader(List<string> errors)
    {
        public void RejectUnknown(JsonObject obj, string path, params string[] known)
        {
            foreach (var (name, _) in obj)
            {
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add($"{path}.{name}: unknown field (known: {string.Join(", ", known)})");
                }
            }
        }

        public string? String(JsonObject obj, string name, string? path = null)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue value && value.TryGetValue<string>(out var s))
            {
                return s;
            }

            errors.Add($"{path ?? name}: must be a string");
            return null;
        }

        public T? Enum<T>(JsonObject obj, string name)
            where T : struct, System.Enum
        {
            var text = String(obj, name);
            if (text is null)
            {
                return null;
            }

            if (System.Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !char.IsDigit(text[0]))
            {
                return parsed;
            }

            errors.Add($"{name}: '{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
            return null;
        }

        public IReadOnlyList<string>? Strings(JsonObject obj, string name, string? path = null, bool allowScalars = false)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonArray array)
            {
                var result = new List<string>(array.Count);
                foreach (var item in array)
                {
                    if (item is JsonValue value && value.TryGetValue<string>(out var s))
                    {
                        result.Add(s);
                    }
                    else if (allowScalars && item is JsonValue scalar)
                    {
                        result.Add(scalar.ToJsonString().Trim('"'));
                    }
                    else
                    {
                        errors.Add($"{path ?? name}: must be a list of strings");
                        return null;
                    }
                }

                return result;
            }

            errors.Add($"{path ?? name}: must be a list of strings");
            return null;
        }

        public double? Number(JsonObject obj, string name, string path)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue value && value.TryGetValue<double>(out var d))
            {
                return d;
            }

            errors.Add($"{path}: must be a number");
            return null;
        }

        public int? Integer(JsonObject obj, string name, string path)
        {
            var number = Number(obj, name, path);
            if (number is null)
            {
                return null;
            }

            if (number != Math.Floor(number.Value) || number is < int.MinValue or > int.MaxValue)
            {
                errors.Add($"{path}: must be a whole number");
                return null;
            }

            return (int)number.Value;
        }

        public bool? Boolean(JsonObject obj, string name, string path)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue value && value.TryGetValue<bool>(out var b))
            {
                return b;
            }

            errors.Add($"{path}: must be true or false");
            return null;
        }
    }
}
