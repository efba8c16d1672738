# PhishNet Store on MongoDB Atlas: a three-member MongoDB 8.0 replica set (or, with cluster_topology, a sharded or
# geo-sharded cluster of such replica sets) with continuous cloud backup, the database users the service serves and
# migrates as, and the network access list.

locals {
  sharded = var.cluster_topology != "replica_set"

  cluster_type = {
    replica_set = "REPLICASET"
    sharded     = "SHARDED"
    geosharded  = "GEOSHARDED"
  }[var.cluster_topology]

  # Provider 2.x: one replication_specs element per shard (num_shards is gone). A replica set is one; a sharded
  # cluster has shard_count in the cluster's region; a geo-sharded cluster one per zone, in the zone's region.
  shards = var.cluster_topology == "geosharded" ? [
    for zone in var.zones : { zone_name = zone.name, region = zone.region }
    ] : [
    for shard in range(var.cluster_topology == "sharded" ? var.shard_count : 1) : { zone_name = tostring(null), region = var.region }
  ]
}

resource "mongodbatlas_advanced_cluster" "phishnet" {
  project_id             = var.project_id
  name                   = var.cluster_name
  cluster_type           = local.cluster_type
  mongo_db_major_version = "8.0"

  # A Global Cluster whose shard keys the service applies itself (migration V019, tenant-first keys) and whose zones
  # the operator maps to tenant ranges (docs/scaling.md), instead of Atlas-managed keys on a location field.
  # GEOSHARDED only, and fixed at creation: an existing REPLICASET or SHARDED cluster cannot become geosharded by
  # changing cluster_topology (deploy a new cluster and move the data, docs/scaling.md). A precondition cannot see
  # the cluster's previous type, so this is not checked here; the plan shows the attempted change.
  global_cluster_self_managed_sharding = var.cluster_topology == "geosharded" ? true : null

  # Deleting the cluster needs this set to false first (in Atlas or here, then apply).
  termination_protection_enabled = true

  # Cloud backup snapshots plus the oplog: point-in-time restore (continuous cloud backup).
  backup_enabled = true
  pit_enabled    = true

  replication_specs = [
    for shard in local.shards : {
      zone_name = shard.zone_name
      region_configs = [
        {
          provider_name = var.cloud_provider
          region_name   = shard.region
          priority      = 7
          electable_specs = {
            instance_size = var.instance_size
            node_count    = 3
          }
          auto_scaling = {
            disk_gb_enabled = true
          }
        }
      ]
    }
  ]

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.cluster_topology == "replica_set" || !contains(["M10", "M20"], var.instance_size)
      error_message = "Atlas sharded and geo-sharded clusters need tier M30 or larger: set instance_size (e.g. M30)."
    }
    precondition {
      condition     = var.cluster_topology != "geosharded" || length(var.zones) > 0
      error_message = "cluster_topology = \"geosharded\" needs at least one entry in zones, e.g. [{name = \"EU\", region = \"EU_CENTRAL_1\"}]."
    }
  }
}

# Replaces the default policy Atlas creates when backup is enabled. Retention grows with the interval, as
# Atlas requires; the point-in-time window stays within the hourly retention.
resource "mongodbatlas_cloud_backup_schedule" "phishnet" {
  project_id   = mongodbatlas_advanced_cluster.phishnet.project_id
  cluster_name = mongodbatlas_advanced_cluster.phishnet.name

  reference_hour_of_day    = 3 # UTC
  reference_minute_of_hour = 0
  restore_window_days      = 7 # point-in-time restore to any minute of the last 7 days

  policy_item_hourly {
    frequency_interval = 6 # every 6 hours
    retention_unit     = "days"
    retention_value    = 7
  }

  policy_item_daily {
    frequency_interval = 1
    retention_unit     = "days"
    retention_value    = 14
  }

  policy_item_weekly {
    frequency_interval = 7 # Sunday
    retention_unit     = "weeks"
    retention_value    = 8
  }

  policy_item_monthly {
    frequency_interval = 40 # last day of the month
    retention_unit     = "months"
    retention_value    = 12
  }
}

# The service's user: readWrite on its own database and nothing more. The topology check and health
# indicator use hello, which needs no role. It cannot change the schema: collMod (validators) is not in readWrite.
resource "mongodbatlas_database_user" "phishnet_store" {
  project_id         = var.project_id
  username           = var.database_username
  password           = var.database_password
  auth_database_name = "admin"

  roles {
    role_name     = "readWrite"
    database_name = var.database_name
  }

  scopes {
    name = mongodbatlas_advanced_cluster.phishnet.name
    type = "CLUSTER"
  }
}

# The user schema migrations run as at startup (PHISHNET_MONGO_MIGRATION_URI): readWrite for Mongock's change
# log and lock, dbAdmin for collMod and the other schema commands. Both on the service database only; dbAdmin
# grants no access to documents and no user management. On a sharded cluster also enableSharding (below).
resource "mongodbatlas_database_user" "phishnet_migrator" {
  project_id         = var.project_id
  username           = var.migration_database_username
  password           = var.migration_database_password
  auth_database_name = "admin"

  roles {
    role_name     = "readWrite"
    database_name = var.database_name
  }

  roles {
    role_name     = "dbAdmin"
    database_name = var.database_name
  }

  # On a sharded cluster only: migration V019 runs shardCollection, whose privilege action (enableSharding) neither
  # readWrite nor dbAdmin grants. Atlas offers the built-in enableSharding role ("Built-In Roles and Privileges"), granted
  # on admin as every role but read and readWrite is. It covers every database (and reshardCollection/moveCollection);
  # a mongodbatlas_custom_db_role scoped to database_name would be narrower, but Atlas custom roles cannot grant
  # enableSharding (Atlas "Custom Role Actions": the only sharding actions are ADD_SHARD_TO_ZONE,
  # REMOVE_SHARD_FROM_ZONE, UPDATE_ZONE_KEY_RANGE). Self-managed clusters use a db-scoped custom role instead.
  dynamic "roles" {
    for_each = local.sharded ? ["enableSharding"] : []
    content {
      role_name     = roles.value
      database_name = "admin"
    }
  }

  scopes {
    name = mongodbatlas_advanced_cluster.phishnet.name
    type = "CLUSTER"
  }
}

resource "mongodbatlas_project_ip_access_list" "service" {
  for_each = toset(var.access_list_cidrs)

  project_id = var.project_id
  cidr_block = each.value
  comment    = "phishnet-store"
}
