using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Durable.Storage;

/// <summary>
/// The storage names of one task hub, all prefixed by the hub name: control queues <c>{hub}-control-00</c>…,
/// the work-item queue <c>{hub}-workitems</c>, tables <c>{hub}History</c>, <c>{hub}Instances</c>,
/// <c>{hub}Workers</c> and <c>{hub}DeadLetters</c>, containers <c>{hub}-largemessages</c> and <c>{hub}-leases</c>.
/// </summary>
public sealed partial record TaskHubNames
{
    public TaskHubNames(string hubName, int partitionCount)
    {
        if (hubName is null || !HubNamePattern().IsMatch(hubName))
        {
            throw new ArgumentException($"Task hub name '{hubName}' is invalid: use 3-45 letters and digits, starting with a letter.", nameof(hubName));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitionCount, 16);
        HubName = hubName;
        PartitionCount = partitionCount;
    }

    public string HubName { get; }

    public int PartitionCount { get; }

    private string Lower => HubName.ToLowerInvariant();

    public string ControlQueue(int partition) => $"{Lower}-control-{partition:00}";

    public string WorkItemQueue => $"{Lower}-workitems";

    public string HistoryTable => HubName + "History";

    public string InstancesTable => HubName + "Instances";

    public string WorkersTable => HubName + "Workers";

    public string DeadLetterTable => HubName + "DeadLetters";

    public string LargeMessagesContainer => $"{Lower}-largemessages";

    public string LeaseContainer => $"{Lower}-leases";

    public string PartitionLease(int partition) => $"control-{partition:00}";

    /// <summary>The partition (control queue) of an instance: a stable FNV-1a hash of its id, the same on every host and run.</summary>
    public int PartitionOf(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)PartitionCount);
    }

    public string ControlQueueOf(string instanceId) => ControlQueue(PartitionOf(instanceId));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$", RegexOptions.CultureInvariant)]
    private static partial Regex HubNamePattern();
}
