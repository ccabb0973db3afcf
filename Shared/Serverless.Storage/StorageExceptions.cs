namespace Serverless.Storage;

/// <summary>Base type for storage failures the product reacts to.</summary>
public class StorageException : Exception
{
    public StorageException() { }
    public StorageException(string message) : base(message) { }
    public StorageException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The blob, entity, queue or message does not exist.</summary>
public sealed class StorageNotFoundException : StorageException
{
    public StorageNotFoundException() { }
    public StorageNotFoundException(string message) : base(message) { }
    public StorageNotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A condition failed: the item already exists, its ETag changed, or a lease is held by someone else.</summary>
public sealed class StorageConflictException : StorageException
{
    public StorageConflictException() { }
    public StorageConflictException(string message) : base(message) { }
    public StorageConflictException(string message, Exception inner) : base(message, inner) { }
}
