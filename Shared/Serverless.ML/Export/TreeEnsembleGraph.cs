using Microsoft.ML.Trainers.FastTree;
using static Serverless.ML.Export.OnnxGraphBuilder;

namespace Serverless.ML.Export;

/// <summary>
/// Collects ML.NET regression trees (one or more per output column) into one ai.onnx.ml TreeEnsembleRegressor (v3).
/// ML.NET's tree: internal node i splits on <c>NumericalSplitFeatureIndexes[i]</c> and goes to <c>LeftChild[i]</c> when
/// the value is &lt;= <c>NumericalSplitThresholds[i]</c>; a negative child is the leaf <c>~child</c>. Each leaf value is
/// multiplied by the tree's weight (and the ensemble's averaging factor); ensemble biases become base values.
/// </summary>
internal sealed class TreeEnsembleGraph(int targets)
{
    private readonly List<long> _treeIds = [];
    private readonly List<long> _nodeIds = [];
    private readonly List<long> _featureIds = [];
    private readonly List<float> _thresholds = [];
    private readonly List<string> _modes = [];
    private readonly List<long> _trueIds = [];
    private readonly List<long> _falseIds = [];
    private readonly List<long> _targetTreeIds = [];
    private readonly List<long> _targetNodeIds = [];
    private readonly List<long> _targetIds = [];
    private readonly List<float> _targetWeights = [];
    private readonly double[] _baseValues = new double[targets];
    private int _treeCount;

    /// <summary>Adds an ensemble's trees as contributions to output column <paramref name="target"/>, each leaf scaled by tree weight × <paramref name="scale"/>.</summary>
    public void Add<TTree>(TreeEnsemble<TTree> ensemble, int target, double scale)
        where TTree : RegressionTreeBase
    {
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var weight = t < ensemble.TreeWeights.Count ? ensemble.TreeWeights[t] : 1.0;
            AddTree(ensemble.Trees[t], target, weight * scale);
        }

        _baseValues[target] += ensemble.Bias * scale;
    }

    /// <summary>Emits the node; its output is [N, targets] float.</summary>
    public string Emit(OnnxGraphBuilder graph, string features) =>
        graph.Node("TreeEnsembleRegressor", [features],
        [
            Ints("nodes_treeids", _treeIds), Ints("nodes_nodeids", _nodeIds), Ints("nodes_featureids", _featureIds),
            FloatList("nodes_values", _thresholds), Texts("nodes_modes", _modes),
            Ints("nodes_truenodeids", _trueIds), Ints("nodes_falsenodeids", _falseIds),
            Ints("target_treeids", _targetTreeIds), Ints("target_nodeids", _targetNodeIds), Ints("target_ids", _targetIds),
            FloatList("target_weights", _targetWeights), Int("n_targets", targets),
            FloatList("base_values", _baseValues.Select(v => (float)v)), Text("aggregate_function", "SUM"), Text("post_transform", "NONE"),
        ], MlDomain);

    private void AddTree(RegressionTreeBase tree, int target, double factor)
    {
        var treeId = _treeCount++;
        var internalCount = tree.NumberOfNodes;
        if (internalCount == 0)
        {
            AddNode(treeId, 0, 0, 0f, "LEAF", 0, 0);
            AddLeafTarget(treeId, 0, target, tree.LeafValues.Count > 0 ? tree.LeafValues[0] * factor : 0.0);
            return;
        }

        for (var node = 0; node < internalCount; node++)
        {
            if (tree.CategoricalSplitFlags.Count > node && tree.CategoricalSplitFlags[node])
            {
                throw new NotSupportedException("Trees with categorical splits cannot be exported; categorical features are one-hot encoded before training.");
            }

            AddNode(treeId, node, tree.NumericalSplitFeatureIndexes[node], tree.NumericalSplitThresholds[node], "BRANCH_LEQ",
                NodeId(tree.LeftChild[node], internalCount), NodeId(tree.RightChild[node], internalCount));
        }

        for (var leaf = 0; leaf < tree.NumberOfLeaves; leaf++)
        {
            AddNode(treeId, internalCount + leaf, 0, 0f, "LEAF", 0, 0);
            AddLeafTarget(treeId, internalCount + leaf, target, tree.LeafValues[leaf] * factor);
        }
    }

    private static long NodeId(int child, int internalCount) => child >= 0 ? child : internalCount + ~child;

    private void AddNode(long treeId, long nodeId, long featureId, float threshold, string mode, long trueId, long falseId)
    {
        _treeIds.Add(treeId);
        _nodeIds.Add(nodeId);
        _featureIds.Add(featureId);
        _thresholds.Add(threshold);
        _modes.Add(mode);
        _trueIds.Add(trueId);
        _falseIds.Add(falseId);
    }

    private void AddLeafTarget(long treeId, long nodeId, int target, double value)
    {
        _targetTreeIds.Add(treeId);
        _targetNodeIds.Add(nodeId);
        _targetIds.Add(target);
        _targetWeights.Add((float)value);
    }
}
