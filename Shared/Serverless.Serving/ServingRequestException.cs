using Microsoft.AspNetCore.Http;
using Serverless.Domain;

namespace Serverless.Serving;

/// <summary>A request the caller must fix: its message names what was wrong, <see cref="StatusCode"/> is the 4xx to answer.</summary>
public sealed class ServingRequestException : BadInputException
{
    public ServingRequestException()
    {
    }

    public ServingRequestException(string message) : this(StatusCodes.Status400BadRequest, message)
    {
    }

    public ServingRequestException(string message, Exception innerException) : base(message, innerException) => StatusCode = StatusCodes.Status400BadRequest;

    public ServingRequestException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    public int StatusCode { get; } = StatusCodes.Status400BadRequest;

    public static ServingRequestException TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, message);

    public static ServingRequestException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
}
