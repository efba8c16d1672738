locals {
  srv_host    = trimprefix(mongodbatlas_advanced_cluster.phishnet.connection_strings.standard_srv, "mongodb+srv://")
  uri_options = "retryWrites=true&w=majority"
}

output "cluster_name" {
  description = "Name of the Atlas cluster."
  value       = mongodbatlas_advanced_cluster.phishnet.name
}

output "cluster_topology" {
  description = "REPLICASET, SHARDED or GEOSHARDED. On the last two the SRV host names mongos routers, and migration V019 applies the shard keys at the service's first start and checks them at every start (docs/scaling.md)."
  value       = mongodbatlas_advanced_cluster.phishnet.cluster_type
}

output "mongodb_version" {
  description = "MongoDB version the cluster runs."
  value       = mongodbatlas_advanced_cluster.phishnet.mongo_db_version
}

output "connection_string_srv" {
  description = "SRV connection string of the cluster, without credentials."
  value       = mongodbatlas_advanced_cluster.phishnet.connection_strings.standard_srv
}

output "mongodb_database" {
  description = "Value for the service's MONGODB_DATABASE."
  value       = var.database_name
}

output "mongodb_uri" {
  description = "Value for the service's MONGODB_URI, with the user and its percent-encoded password (terraform output -raw mongodb_uri)."
  sensitive   = true
  value = format("mongodb+srv://%s:%s@%s/%s?%s",
    urlencode(mongodbatlas_database_user.phishnet_store.username),
    urlencode(var.database_password),
    local.srv_host,
    var.database_name,
    local.uri_options,
  )
}

output "mongodb_migration_uri" {
  description = "Value for the service's PHISHNET_MONGO_MIGRATION_URI: the migration user and its percent-encoded password (terraform output -raw mongodb_migration_uri)."
  sensitive   = true
  value = format("mongodb+srv://%s:%s@%s/%s?%s",
    urlencode(mongodbatlas_database_user.phishnet_migrator.username),
    urlencode(var.migration_database_password),
    local.srv_host,
    var.database_name,
    local.uri_options,
  )
}
