namespace Serverless.Registry;

/// <summary>What <see cref="ModelRegistry.RegisterWithOutcomeAsync"/> did.</summary>
/// <param name="Version">The version registered for the run (now, or before).</param>
/// <param name="AlreadyRegistered">
/// True when an earlier execution of the same run id registered it (another <see cref="ModelRegistration.AttemptId"/>):
/// nothing was written now, and whatever that execution decided about promotion stands.
/// </param>
public sealed record ModelRegistrationOutcome(ModelVersion Version, bool AlreadyRegistered);
