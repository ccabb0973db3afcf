// Deploys the MLOps Function App to Azure Functions Flex Consumption: one storage account holding all state (blobs,
// tables, queues: the durable task hub, the product's containers, the deployment package), reached only through a
// user-assigned managed identity with data-plane roles (no account keys anywhere), Application Insights on a Log
// Analytics workspace, and an Event Grid system topic whose subscriptions feed the blob triggers (Flex Consumption
// runs blob triggers only with the Event Grid source).
//
// Two passes: the first deploys everything but the Event Grid subscriptions; after the code is deployed (the
// `blobs_extension` system key exists only once the host has started with the blob extension), a second deployment
// with `subscribeBlobEvents=true` adds one BlobCreated subscription per blob-triggered function.
targetScope = 'resourceGroup'

@description('Azure region for every resource (one where Flex Consumption is offered: `az functionapp list-flexconsumption-locations`).')
param location string = resourceGroup().location

@description('Prefix of resource names: 3-11 lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'mlops'

@description('Most instances the app scales out to (Flex Consumption allows up to 1000). Each instance has `instanceMemoryMB` of memory.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of one instance; CPU comes with it (2048 MB: 1 core, 4096 MB: 2 cores). Training is CPU- and memory-bound.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 4096

@description('Admin key of the API (the MasterKey app setting), e.g. `openssl rand -base64 32`. Required, no default: the key is yours, never generated or printed by a deployment; keep it in a vault.')
@secure()
@minLength(32)
param masterKey string

@description('Key that encrypts webhook secrets at rest (AES-256-GCM): base64 of 32 random bytes, e.g. `openssl rand -base64 32`. Keep it: secrets stored under one key cannot be read with another.')
@secure()
param webhookSecretKey string

@description('Durable task hub name (prefix of its tables, queues and containers): 3-45 letters and digits, starting with a letter. Overrides `extensions.durableTask.hubName` of host.json.')
@minLength(3)
@maxLength(45)
param hubName string = 'mlops'

@description('Create the Event Grid subscriptions that feed the blob triggers. Leave false on the first deployment; set true once the code is deployed (the webhook needs the host\'s `blobs_extension` system key).')
param subscribeBlobEvents bool = false

// .NET version of the isolated worker: the newest Flex Consumption runs (it lists 10.0, 9.0 and 8.0).
var dotnetVersion = '10.0'

var suffix = uniqueString(resourceGroup().id, namePrefix)
var storageName = take('${namePrefix}${suffix}', 24)
var appName = '${namePrefix}-func-${suffix}'
var userContainers = [
  'datasets'
  'model-uploads'
  'scoring-input'
  'scoring-output'
  'artifacts'
]
// The deployment package (app.zip) lives here; the platform reads it with the app's identity.
var deploymentContainer = 'app-package'

// The blob-triggered functions and the container each one watches.
var blobTriggers = [
  {
    function: 'OnDatasetUploaded'
    container: 'datasets'
  }
  {
    function: 'OnModelUploaded'
    container: 'model-uploads'
  }
  {
    function: 'OnScoringInputUploaded'
    container: 'scoring-input'
  }
]

// Built-in roles (ids are fixed across Azure).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in userContainers: {
  parent: blobService
  name: name
  properties: {
    publicAccess: 'None'
  }
}]

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
  properties: {
    publicAccess: 'None'
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-func-identity'
  location: location
}

// Blob Data Owner covers the product's containers, the durable hub's blobs and leases, the blob triggers' receipts
// and the deployment container; queues and tables are the durable task hub's. All at account scope.
resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [storageBlobDataOwner, storageQueueDataContributor, storageTableDataContributor]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// Lets the host send telemetry with its identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not set: Flex Consumption takes the runtime
      // from functionAppConfig and rejects those settings.
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identity.properties.clientId
        }
        {
          // The identity the product's own storage clients (DefaultAzureCredential) use.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        }
        {
          name: 'AzureFunctionsJobHost__extensions__durableTask__hubName'
          value: hubName
        }
        {
          name: 'MasterKey'
          value: masterKey
        }
        {
          name: 'Product__Webhooks__SecretKey'
          value: webhookSecretKey
        }
        // The product's containers, so the host resolves the blob triggers' `%Product:...Container%` paths.
        {
          name: 'Product__DatasetsContainer'
          value: 'datasets'
        }
        {
          name: 'Product__ModelUploadsContainer'
          value: 'model-uploads'
        }
        {
          name: 'Product__ScoringInputContainer'
          value: 'scoring-input'
        }
        {
          name: 'Product__ScoringOutputContainer'
          value: 'scoring-output'
        }
        {
          name: 'Product__ArtifactsContainer'
          value: 'artifacts'
        }
      ]
    }
  }
  dependsOn: [
    roleAssignments
    insightsRole
    packageContainer
  ]
}

// Storage events of the account; the subscriptions below deliver BlobCreated events of one container each to the
// blob extension's webhook, which runs the function named in the URL.
resource eventTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: '${namePrefix}-storage-events-${suffix}'
  location: location
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource blobSubscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = [for trigger in blobTriggers: if (subscribeBlobEvents) {
  parent: eventTopic
  name: toLower(trigger.function)
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${trigger.container}/'
    }
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The host's keys (List Host Keys: masterKey, functionKeys, systemKeys) are read only when subscribing:
        // systemKeys.blobs_extension exists once the deployed code has started the blob extension.
        // Bicep has no type for Microsoft.Web/sites/host, hence the suppression; the API version is given.
        #disable-next-line use-recognized-resource-type
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${trigger.function}&code=${subscribeBlobEvents ? listKeys(resourceId('Microsoft.Web/sites/host', app.name, 'default'), '2024-11-01').systemKeys.blobs_extension : ''}'
        maxEventsPerBatch: 1
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
  dependsOn: [
    containers
  ]
}]

output appName string = app.name
output hostUrl string = 'https://${app.properties.defaultHostName}'
output storageAccount string = storage.name
output identityClientId string = identity.properties.clientId
