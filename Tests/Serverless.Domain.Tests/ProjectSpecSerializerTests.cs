using Serverless.Domain.Models;
using Serverless.Domain.Projects;

namespace Serverless.Domain.Tests;

public sealed class ProjectSpecSerializerTests
{
    private const string FullSpec = """
        {
          "label": "churned",
          "task": "binary",
          "features": ["age", "plan"], "ignore": ["customer_id"],
          "trainers": ["lightgbm", "LINEAR"],
          "sweep": { "lightgbm": { "numberOfLeaves": [15, 31, 63], "learningRate": [0.05, 0.1] } },
          "metric": "AUC",
          "split": { "test": 0.25, "validation": 0.15, "seed": 7 },
          "validation": { "minRows": 100, "maxMissingFraction": 0.2,
                          "columns": { "age": { "type": "number", "min": 0, "max": 120, "required": true },
                                       "plan": { "type": "category", "values": ["free", "pro"] },
                                       "code": { "values": [1, 2, true] } } },
          "gates": { "min": { "auc": 0.8 }, "mustBeatProductionBy": 0.01 },
          "promotion": "manual", "approvalTimeout": "PT12H",
          "schedule": "0 0 2 * * *",
          "monitoring": { "schedule": "0 */30 * * * *", "driftShare": 0.4, "retrainOnDrift": true },
        }
        """;

    [Fact]
    public void A_full_spec_parses_every_field()
    {
        var spec = ProjectSpecSerializer.Parse(FullSpec);

        Assert.Equal("churned", spec.Label);
        Assert.Equal(TaskKind.Binary, spec.Task);
        Assert.Equal(["age", "plan"], spec.Features!);
        Assert.Equal(["customer_id"], spec.Ignore);
        Assert.Equal(["lightgbm", "linear"], spec.Trainers);
        Assert.Equal([15.0, 31, 63], spec.Sweep["lightgbm"]["numberOfLeaves"]);
        Assert.Equal("auc", spec.Metric);
        Assert.Equal(new SplitSpec(0.25, 0.15, 7), spec.Split);
        Assert.Equal(100, spec.Validation.MinRows);
        Assert.Equal(0.2, spec.Validation.MaxMissingFraction);
        var age = spec.Validation.Columns["age"];
        Assert.Equal(("number", 0.0, 120.0, true), (age.Type, age.Min, age.Max, age.Required));
        Assert.Equal(["free", "pro"], spec.Validation.Columns["plan"].Values!);
        Assert.Equal(["1", "2", "true"], spec.Validation.Columns["code"].Values!);
        Assert.Equal(0.8, spec.Gates.Min["auc"]);
        Assert.Equal(0.01, spec.Gates.MustBeatProductionBy);
        Assert.Equal(PromotionMode.Manual, spec.Promotion);
        Assert.Equal(TimeSpan.FromHours(12), spec.ApprovalTimeout);
        Assert.Equal("0 0 2 * * *", spec.Schedule);
        Assert.Equal(new MonitoringSpec { Schedule = "0 */30 * * * *", DriftShare = 0.4, RetrainOnDrift = true }, spec.Monitoring);
    }

    [Fact]
    public void Slices_and_the_slice_gap_gate_parse_and_round_trip()
    {
        var spec = ProjectSpecSerializer.Parse("""{ "slices": ["sex", "region"], "gates": { "maxSliceGap": { "AUC": 0.05 } } }""");

        Assert.Equal(["sex", "region"], spec.Slices);
        Assert.Equal(0.05, spec.Gates.MaxSliceGap["auc"]);
        var again = ProjectSpecSerializer.Parse(ProjectSpecSerializer.Serialize(spec));
        Assert.Equal(spec.Slices, again.Slices);
        Assert.Equal(spec.Gates.MaxSliceGap, again.Gates.MaxSliceGap);
        Assert.Empty(ProjectSpec.Default.Slices);
    }

    [Fact]
    public void Serialize_then_parse_round_trips()
    {
        var spec = ProjectSpecSerializer.Parse(FullSpec);
        var json = ProjectSpecSerializer.Serialize(spec);
        var again = ProjectSpecSerializer.Parse(json);

        Assert.Equal(json, ProjectSpecSerializer.Serialize(again));
        Assert.Equal(spec.Split, again.Split);
        Assert.Equal(spec.Monitoring, again.Monitoring);
        Assert.Equal(spec.ApprovalTimeout, again.ApprovalTimeout);
        Assert.Equal(spec.Validation.Columns["age"], again.Validation.Columns["age"]);
    }

    [Fact]
    public void Defaults_round_trip_including_nulls()
    {
        var json = ProjectSpecSerializer.Serialize(ProjectSpec.Default);
        var spec = ProjectSpecSerializer.Parse(json);
        Assert.Null(spec.Label);
        Assert.Null(spec.Task);
        Assert.Null(spec.Features);
        Assert.Equal(TrainerNames.All, spec.Trainers);
        Assert.Equal(new SplitSpec(), spec.Split);
        Assert.Equal(0.0, spec.Gates.MustBeatProductionBy);
        Assert.Equal(TimeSpan.FromDays(3), spec.ApprovalTimeout);
        Assert.Equal(json, ProjectSpecSerializer.Serialize(spec));
    }

    [Fact]
    public void An_empty_object_is_the_default_spec()
    {
        var spec = ProjectSpecSerializer.Parse("{}");
        Assert.Equal(ProjectSpecSerializer.Serialize(ProjectSpec.Default), ProjectSpecSerializer.Serialize(spec));
    }

    [Fact]
    public void Null_must_beat_production_means_no_comparison()
    {
        Assert.Null(ProjectSpecSerializer.Parse("""{ "gates": { "mustBeatProductionBy": null } }""").Gates.MustBeatProductionBy);
        var json = ProjectSpecSerializer.Serialize(new ProjectSpec { Gates = new GateSpec { MustBeatProductionBy = null } });
        Assert.Null(ProjectSpecSerializer.Parse(json).Gates.MustBeatProductionBy);
    }

    [Theory]
    [InlineData("""{ "lable": "x" }""", "lable: unknown field")]
    [InlineData("""{ "label": 5 }""", "label: must be a string")]
    [InlineData("""{ "task": "ranking" }""", "task: 'ranking' is not one of binary, multiclass, regression")]
    [InlineData("""{ "task": "1" }""", "task: '1' is not one of")]
    [InlineData("""{ "features": "age" }""", "features: must be a list of strings")]
    [InlineData("""{ "ignore": [1] }""", "ignore: must be a list of strings")]
    [InlineData("""{ "label": "y", "features": ["a", "y"] }""", "features: must not include the label column 'y'")]
    [InlineData("""{ "trainers": ["xgboost"] }""", "trainers: unknown trainer 'xgboost'")]
    [InlineData("""{ "trainers": [] }""", "trainers: name at least one trainer")]
    [InlineData("""{ "sweep": [] }""", "sweep: must be an object")]
    [InlineData("""{ "sweep": { "catboost": {} } }""", "sweep.catboost: unknown trainer")]
    [InlineData("""{ "sweep": { "lightgbm": [1] } }""", "sweep.lightgbm: must be an object")]
    [InlineData("""{ "sweep": { "lightgbm": { "numberOfLeaves": [] } } }""", "sweep.lightgbm.numberOfLeaves: must be a non-empty list of numbers")]
    [InlineData("""{ "sweep": { "lightgbm": { "numberOfLeaves": ["many"] } } }""", "sweep.lightgbm.numberOfLeaves: must be a non-empty list of numbers")]
    [InlineData("""{ "metric": 1 }""", "metric: must be a string")]
    [InlineData("""{ "split": 0.2 }""", "split: must be an object")]
    [InlineData("""{ "split": { "test": "0.2" } }""", "split.test: must be a number")]
    [InlineData("""{ "split": { "test": 0 } }""", "split.test: must be greater than 0 and at most 0.9")]
    [InlineData("""{ "split": { "test": 0.5, "validation": 0.5 } }""", "split.validation: must be between 0 and 0.9, and test + validation must be below 1")]
    [InlineData("""{ "split": { "seed": 1.5 } }""", "split.seed: must be a whole number")]
    [InlineData("""{ "split": { "shuffle": true } }""", "split.shuffle: unknown field")]
    [InlineData("""{ "validation": 3 }""", "validation: must be an object")]
    [InlineData("""{ "validation": { "minRows": 0 } }""", "validation.minRows: must be at least 1")]
    [InlineData("""{ "validation": { "maxMissingFraction": 1.5 } }""", "validation.maxMissingFraction: must be between 0 and 1")]
    [InlineData("""{ "validation": { "columns": [] } }""", "validation.columns: must be an object of column name to expectations")]
    [InlineData("""{ "validation": { "columns": { "age": 5 } } }""", "validation.columns.age: must be an object")]
    [InlineData("""{ "validation": { "columns": { "age": { "type": "integer" } } } }""", "validation.columns.age.type: 'integer' is not one of number, category, boolean, text, datetime")]
    [InlineData("""{ "validation": { "columns": { "age": { "min": 10, "max": 1 } } } }""", "validation.columns.age: min (10) is greater than max (1)")]
    [InlineData("""{ "validation": { "columns": { "age": { "required": "yes" } } } }""", "validation.columns.age.required: must be true or false")]
    [InlineData("""{ "validation": { "columns": { "age": { "values": "a" } } } }""", "validation.columns.age.values: must be a list of strings")]
    [InlineData("""{ "validation": { "columns": { "age": { "maximum": 3 } } } }""", "validation.columns.age.maximum: unknown field")]
    [InlineData("""{ "gates": [] }""", "gates: must be an object")]
    [InlineData("""{ "gates": { "min": 0.8 } }""", "gates.min: must be an object of metric name to minimum value")]
    [InlineData("""{ "gates": { "min": { "auc": "high" } } }""", "gates.min.auc: must be a number")]
    [InlineData("""{ "gates": { "mustBeatProductionBy": "a bit" } }""", "gates.mustBeatProductionBy: must be a number")]
    [InlineData("""{ "gates": { "maxSliceGap": 0.05 } }""", "gates.maxSliceGap: must be an object of metric name to largest allowed gap")]
    [InlineData("""{ "gates": { "maxSliceGap": { "auc": -0.1 } } }""", "gates.maxSliceGap.auc: -0.1 must not be negative")]
    [InlineData("""{ "slices": "sex" }""", "slices: must be a list of strings")]
    [InlineData("""{ "slices": ["sex", "sex"] }""", "slices: column 'sex' is named twice")]
    [InlineData("""{ "slices": ["a", "b", "c", "d", "e", "f", "g", "h", "i"] }""", "slices: 9 columns; at most 8")]
    [InlineData("""{ "promotion": "sometimes" }""", "promotion: 'sometimes' is not one of auto, manual")]
    [InlineData("""{ "approvalTimeout": "3 days" }""", "approvalTimeout: '3 days' is not an ISO 8601 duration")]
    [InlineData("""{ "approvalTimeout": "PT0S" }""", "approvalTimeout: must be a positive ISO 8601 duration")]
    [InlineData("""{ "schedule": "0 2 * * *" }""", "schedule: '0 2 * * *' has 5 fields; NCRONTAB needs six")]
    [InlineData("""{ "schedule": "99 0 2 * * *" }""", "schedule: '99 0 2 * * *' is not a valid NCRONTAB expression")]
    [InlineData("""{ "monitoring": true }""", "monitoring: must be an object")]
    [InlineData("""{ "monitoring": { "driftShare": 0 } }""", "monitoring.driftShare: must be greater than 0 and at most 1")]
    [InlineData("""{ "monitoring": { "schedule": "often" } }""", "monitoring.schedule: 'often' has 1 fields")]
    [InlineData("""{ "monitoring": { "retrainOnDrift": "yes" } }""", "monitoring.retrainOnDrift: must be true or false")]
    [InlineData("""{ "monitoring": { "alert": 1 } }""", "monitoring.alert: unknown field")]
    public void A_bad_field_is_named_in_the_error(string json, string expected)
    {
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse(json));
        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse("""{ "task": "x", "split": { "test": 2 }, "promotion": 3 }"""));
        Assert.Equal(3, error.Errors.Count);
    }

    [Theory]
    [InlineData("{ \"label\": ", "project.json is not valid JSON (line 1")]
    [InlineData("[1, 2]", "project.json must be a JSON object.")]
    [InlineData("\"spec\"", "project.json must be a JSON object.")]
    public void Not_an_object_is_rejected(string json, string expected)
    {
        var error = Assert.Throws<ProjectSpecException>(() => ProjectSpecSerializer.Parse(json));
        Assert.StartsWith(expected, Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var spec = ProjectSpecSerializer.Parse("""
            {
              // the column to predict
              "label": "y",
            }
            """);
        Assert.Equal("y", spec.Label);
    }
}
