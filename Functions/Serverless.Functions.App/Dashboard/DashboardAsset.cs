namespace Serverless.Functions.Dashboard;

/// <summary>One static file of the dashboard, read from the assembly's embedded resources.</summary>
/// <param name="Name">File name under <c>/dashboard/</c>, e.g. <c>app.js</c>.</param>
/// <param name="ContentType">The <c>Content-Type</c> it is served with.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="ETag">A strong entity tag from a hash of the content.</param>
public sealed record DashboardAsset(string Name, string ContentType, ReadOnlyMemory<byte> Content, string ETag);
