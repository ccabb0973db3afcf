using Azure;

namespace Serverless.Storage.Azure;

/// <summary>Maps the SDK's <see cref="RequestFailedException"/> onto the product's storage exceptions.</summary>
internal static class AzureErrors
{
    public static bool IsNotFound(RequestFailedException e) => e.Status == 404;

    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;

    public static Exception Translate(RequestFailedException e, string what) => e.Status switch
    {
        404 => new StorageNotFoundException($"{what} was not found ({e.ErrorCode}).", e),
        409 or 412 => new StorageConflictException($"{what}: condition failed ({e.ErrorCode}).", e),
        _ => e,
    };
}
