namespace Serverless.Hosting.Http;

/// <summary>The JSON body of every error the host itself returns: <c>{"error":"..."}</c>.</summary>
public sealed record ErrorBody(string Error);
