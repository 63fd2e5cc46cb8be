// MaintenancePortal on Azure: the server image on Container Apps, with a managed identity and logs.
// It runs the embedded profile (one replica, in memory); the Storage account for Orleans tables,
// reached with the managed identity, and RabbitMQ join when the durable profile lands.

targetScope = 'resourceGroup'

@description('Where the resources go.')
param location string = resourceGroup().location

@description('Prefix of every resource name (lower case letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'mportal'

@description('The server image, e.g. myregistry.azurecr.io/maintenance-portal:1.0.0.')
param image string

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource portal 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${namePrefix}-portal'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: {
        external: true
        targetPort: 8080
        transport: 'http'
      }
    }
    template: {
      containers: [
        {
          name: 'portal'
          image: image
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'MaintenancePortal__Profile', value: 'Embedded' }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/alive', port: 8080 }
            }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}

@description('The portal\'s address.')
output portalUrl string = 'https://${portal.properties.configuration.ingress.fqdn}'
