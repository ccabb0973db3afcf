namespace Serverless.Monitoring.Webhooks;

/// <summary>Where webhooks may be aimed (section <c>Product:Webhooks</c>, shared with <see cref="WebhookSecretOptions"/>).</summary>
public sealed class WebhookNetworkOptions
{
    public const string SectionName = WebhookSecretOptions.SectionName;

    /// <summary>The setting's full name, for messages.</summary>
    public const string AllowPrivateNetworksSetting = SectionName + ":" + nameof(AllowPrivateNetworks);

    /// <summary>
    /// Allow webhook URLs whose host resolves to loopback, link-local, private, unique-local or other non-public
    /// addresses outside the Development environment (where they are always allowed). Off by default, so an admin
    /// key cannot aim the host at its own metadata endpoint or internal services.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}
