namespace Serverless.Hosting;

/// <summary>Which key an HTTP function demands, as in Azure Functions.</summary>
public enum AuthorizationLevel
{
    /// <summary>No key.</summary>
    Anonymous = 0,

    /// <summary>A function key, an admin key or the master key.</summary>
    Function = 2,

    /// <summary>An admin key or the master key.</summary>
    Admin = 4,
}
