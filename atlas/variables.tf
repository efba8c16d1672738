variable "project_id" {
  description = "ID of the existing Atlas project (24 hexadecimal digits) that holds the cluster."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{24}$", var.project_id))
    error_message = "project_id must be the 24-hex-digit Atlas project ID."
  }
}

variable "cluster_name" {
  description = "Name of the Atlas cluster. Changing it replaces the cluster."
  type        = string
  default     = "phishnet"
}

variable "cloud_provider" {
  description = "Cloud provider of the cluster: AWS, GCP or AZURE."
  type        = string
  default     = "AWS"

  validation {
    condition     = contains(["AWS", "GCP", "AZURE"], var.cloud_provider)
    error_message = "cloud_provider must be AWS, GCP or AZURE."
  }
}

variable "region" {
  description = "Atlas region name for the three electable members, e.g. US_EAST_1 (AWS), EUROPE_WEST_1 (GCP), EUROPE_WEST (AZURE)."
  type        = string
  default     = "US_EAST_1"
}

variable "cluster_topology" {
  description = "replica_set (one three-member replica set, the default), sharded (shard_count such replica sets behind mongos routers; migration V019 applies the tenant-first shard keys) or geosharded (an Atlas Global Cluster, one shard per entry of zones, for tenants whose data must stay in a region; NEW CLUSTERS ONLY: global_cluster_self_managed_sharding is fixed at creation, so an existing cluster cannot be switched to geosharded; see docs/scaling.md). From replica_set to sharded: first with shard_count = 1, restart every instance on the new URI, then raise shard_count. The service changes nothing but its URI, which the outputs give in every case."
  type        = string
  default     = "replica_set"

  validation {
    condition     = contains(["replica_set", "sharded", "geosharded"], var.cluster_topology)
    error_message = "cluster_topology must be replica_set, sharded or geosharded."
  }
}

variable "shard_count" {
  description = "Number of shards when cluster_topology = \"sharded\" (each a three-member replica set of instance_size in region). Ignored otherwise. Converting an existing replica set: Atlas cannot go to several shards in one step, so apply with 1 first, stop every instance of the service and start them all on the new URI (docs/scaling.md), and only then apply with the final count. A new cluster may start with any count."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 70 && floor(var.shard_count) == var.shard_count
    error_message = "shard_count must be a whole number from 1 to 70."
  }
}

variable "zones" {
  description = "Zones of a geosharded cluster: one shard per entry, named name, in Atlas region region (e.g. [{name = \"EU\", region = \"EU_CENTRAL_1\"}, {name = \"US\", region = \"US_EAST_1\"}]). Tenants are pinned to a zone by tenantId range (docs/scaling.md). Ignored otherwise."
  type = list(object({
    name   = string
    region = string
  }))
  default = []
}

variable "instance_size" {
  description = "Cluster tier of the electable members. A dedicated tier (M10 or larger) is needed for cloud backups and point-in-time restore."
  type        = string
  default     = "M10"

  validation {
    condition     = can(regex("^(M[1-9][0-9]+|R[1-9][0-9]+)$", var.instance_size))
    error_message = "instance_size must be a dedicated, non-NVMe tier such as M10, M30 or R40 (not M0, Flex or *_NVME)."
  }
}

variable "database_name" {
  description = "Database the service uses (its MONGODB_DATABASE); the service user gets readWrite on it, the migration user readWrite and dbAdmin."
  type        = string
  default     = "phishnet"
}

variable "database_username" {
  description = "Name of the database user the service connects as."
  type        = string
  default     = "phishnet-store"
}

variable "database_password" {
  description = "Initial password of the database user. Pass it through TF_VAR_database_password; it is stored in the Terraform state, so keep the state encrypted."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.database_password) >= 16
    error_message = "database_password must be at least 16 characters long."
  }
}

variable "migration_database_username" {
  description = "Name of the database user schema migrations run as (readWrite + dbAdmin on database_name)."
  type        = string
  default     = "phishnet-store-migrator"
}

variable "migration_database_password" {
  description = "Initial password of the migration user. Pass it through TF_VAR_migration_database_password; it is stored in the Terraform state, so keep the state encrypted."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.migration_database_password) >= 16
    error_message = "migration_database_password must be at least 16 characters long."
  }
}

variable "access_list_cidrs" {
  description = "CIDR blocks allowed to reach the cluster: the egress addresses of wherever the service runs, e.g. [\"203.0.113.10/32\"]."
  type        = list(string)

  validation {
    condition     = length(var.access_list_cidrs) > 0 && alltrue([for cidr in var.access_list_cidrs : can(cidrhost(cidr, 0))])
    error_message = "access_list_cidrs must hold at least one valid CIDR block, such as 203.0.113.10/32."
  }

  validation {
    condition     = !contains(var.access_list_cidrs, "0.0.0.0/0") && !contains(var.access_list_cidrs, "::/0")
    error_message = "Opening the cluster to the whole internet (0.0.0.0/0 or ::/0) is refused; list the service's egress addresses."
  }
}

variable "tags" {
  description = "Tags put on the cluster."
  type        = map(string)
  default = {
    application = "phishnet-store"
  }
}
