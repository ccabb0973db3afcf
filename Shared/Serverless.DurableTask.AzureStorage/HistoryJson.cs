using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// Reads the provider's history JSON (an array of events, each with its numeric <c>EventType</c> and no type names)
/// back into DTFx's typed <see cref="HistoryEvent"/>s.
/// </summary>
internal static class HistoryJson
{
    private static readonly Dictionary<EventType, Type> Types = typeof(HistoryEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(HistoryEvent)) && !t.IsAbstract && t.IsPublic)
        .Select(t => (Type: t, Kind: TryKind(t)))
        .Where(x => x.Kind is not null)
        .GroupBy(x => x.Kind!.Value)
        .ToDictionary(g => g.Key, g => g.First().Type);

    public static IList<HistoryEvent> Parse(string json)
    {
        var events = new List<HistoryEvent>();
        foreach (var item in JArray.Parse(json).OfType<JObject>())
        {
            var kind = (EventType)item.Value<int>(nameof(HistoryEvent.EventType));
            if (Types.TryGetValue(kind, out var type) && item.ToObject(type, JsonSerializer.CreateDefault()) is HistoryEvent e)
            {
                events.Add(e);
            }
        }

        return events;
    }

    private static EventType? TryKind(Type type)
    {
        try
        {
            var instance = (HistoryEvent)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
            return instance.EventType;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or MemberAccessException)
        {
            return null;
        }
    }
}
