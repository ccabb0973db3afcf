using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.ML.Features;

/// <summary>
/// An <see cref="IDataView"/> over a row-major feature matrix and an optional label array: a <c>Features</c> float vector
/// column and a <c>Label</c> column (boolean, key or float). Rows are served straight from the arrays, so a million rows
/// cost no per-row objects.
/// </summary>
internal sealed class FeatureDataView : IDataView
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    private readonly float[] _features;
    private readonly int _width;
    private readonly int _rows;
    private readonly Array? _labels;
    private readonly DataViewType? _labelType;

    private FeatureDataView(float[] features, int width, int rows, Array? labels, DataViewType? labelType, IReadOnlyList<string>? slotNames = null)
    {
        _features = features;
        _width = width;
        _rows = rows;
        _labels = labels;
        _labelType = labelType;
        var builder = new DataViewSchema.Builder();
        if (slotNames is null)
        {
            builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, width));
        }
        else
        {
            var annotations = new DataViewSchema.Annotations.Builder();
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> names = (ref VBuffer<ReadOnlyMemory<char>> value) =>
                value = new VBuffer<ReadOnlyMemory<char>>(width, slotNames.Select(n => n.AsMemory()).ToArray());
            annotations.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, width), names);
            builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, width), annotations.ToAnnotations());
        }

        if (labelType is not null)
        {
            builder.AddColumn(LabelColumn, labelType);
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>Features only (for scoring).</summary>
    public static FeatureDataView Unlabeled(float[] features, int width, int rows) => new(features, width, rows, null, null);

    /// <summary>A binary label: true for the positive class.</summary>
    public static FeatureDataView Binary(float[] features, int width, bool[] labels) => new(features, width, labels.Length, labels, BooleanDataViewType.Instance);

    /// <summary>A multiclass label: key values 1..<paramref name="classCount"/> (class index + 1).</summary>
    public static FeatureDataView Multiclass(float[] features, int width, uint[] labels, int classCount) =>
        new(features, width, labels.Length, labels, new KeyDataViewType(typeof(uint), classCount));

    /// <summary>A regression label.</summary>
    public static FeatureDataView Regression(float[] features, int width, float[] labels) => new(features, width, labels.Length, labels, NumberDataViewType.Single);

    /// <summary>The same rows with a name for each feature-vector entry (ML.NET's slot names, which its PFI reports by).</summary>
    public FeatureDataView WithSlotNames(IReadOnlyList<string> slotNames)
    {
        ArgumentNullException.ThrowIfNull(slotNames);
        if (slotNames.Count != _width)
        {
            throw new ArgumentException($"{slotNames.Count} slot names for {_width} features.", nameof(slotNames));
        }

        return new(_features, _width, _rows, _labels, _labelType, slotNames);
    }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(FeatureDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= view._rows)
            {
                _position = view._rows;
                return false;
            }

            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0)
            {
                ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, view._width);
                    view._features.AsSpan(checked((int)(_position * view._width)), view._width).CopyTo(editor.Values);
                    value = editor.Commit();
                };
                return features as ValueGetter<TValue> ?? throw Mismatch<TValue>(column);
            }

            Delegate getter = view._labels switch
            {
                bool[] labels => (ValueGetter<bool>)((ref bool value) => value = labels[_position]),
                uint[] labels => (ValueGetter<uint>)((ref uint value) => value = labels[_position]),
                float[] labels => (ValueGetter<float>)((ref float value) => value = labels[_position]),
                _ => throw new InvalidOperationException("The view has no label column."),
            };
            return getter as ValueGetter<TValue> ?? throw Mismatch<TValue>(column);
        }

        private static InvalidOperationException Mismatch<TValue>(DataViewSchema.Column column) =>
            new($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
    }
}
