namespace Serverless.Hosting;

/// <summary>Base of the trigger attributes placed on a function's trigger parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public abstract class TriggerAttribute : Attribute
{
}
