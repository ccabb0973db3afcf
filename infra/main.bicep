// Deploys the MLOps host to Azure: one storage account holding all state (blobs, tables, queues),
// a Linux App Service running the portable host (always on: it runs timers, blob listeners and the
// durable workers), a managed identity with data-plane roles instead of keys, Event Grid delivering
// blob-created events to a queue (the blob trigger's event mode), and Application Insights.
targetScope = 'resourceGroup'

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Prefix of resource names: 3-11 lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'mlops'

@description('App Service plan SKU. Training is CPU-bound: P1v3 or larger.')
param planSku string = 'P1v3'

@description('Number of host instances sharing the storage (durable partitions and blob receipts spread the work).')
@minValue(1)
@maxValue(10)
param instanceCount int = 2

@description('Admin key of the API (the MasterKey app setting), e.g. `openssl rand -base64 32`. Required, no default: the key is yours, never generated or printed by a deployment; keep it in a vault.')
@secure()
@minLength(32)
param masterKey string

@description('Key that encrypts webhook secrets at rest (AES-256-GCM): base64 of 32 random bytes, e.g. `openssl rand -base64 32`. Keep it: secrets stored under one key cannot be read with another.')
@secure()
param webhookSecretKey string

@description('Durable task hub name (prefix of its tables, queues and containers).')
param hubName string = 'mlops'

var suffix = uniqueString(resourceGroup().id, namePrefix)
var storageName = take('${namePrefix}${suffix}', 24)
var userContainers = [
  'datasets'
  'model-uploads'
  'scoring-input'
  'scoring-output'
  'artifacts'
]
var blobEventsQueue = 'blob-created-events'

// Built-in data-plane roles (ids are fixed across Azure).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

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

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource blobEvents 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: blobEventsQueue
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-host-identity'
  location: location
}

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

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'linux'
  sku: {
    name: planSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource host 'Microsoft.Web/sites@2023-12-01' = {
  name: '${namePrefix}-host-${suffix}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      appCommandLine: 'dotnet Serverless.Functions.dll'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/api/health'
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'MasterKey'
          value: masterKey
        }
        {
          name: 'Product__Webhooks__SecretKey'
          value: webhookSecretKey
        }
        {
          name: 'AzureFunctionsJobHost__extensions__durableTask__hubName'
          value: hubName
        }
        {
          name: 'AzureFunctionsJobHost__extensions__blobs__eventQueueName'
          value: blobEventsQueue
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'OpenTelemetry__Exporter'
          value: 'otlp'
        }
      ]
    }
  }
  dependsOn: [
    roleAssignments
  ]
}

// Blob-created events for the user containers go to a queue the host reads (the blob trigger's event mode),
// so very large containers are never listed.
resource eventTopic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: '${namePrefix}-storage-events'
  location: location
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource blobCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: eventTopic
  name: 'blob-created-to-queue'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'subject'
          values: [for name in userContainers: '/blobServices/default/containers/${name}/']
        }
      ]
    }
    destination: {
      endpointType: 'StorageQueue'
      properties: {
        resourceId: storage.id
        queueName: blobEventsQueue
        queueMessageTimeToLiveInSeconds: -1
      }
    }
  }
  dependsOn: [
    blobEvents
  ]
}

output hostUrl string = 'https://${host.properties.defaultHostName}'
output storageAccount string = storage.name
output identityClientId string = identity.properties.clientId
