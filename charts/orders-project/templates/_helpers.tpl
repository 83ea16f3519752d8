{{/* Chart name, truncated to the 63 characters Kubernetes allows in a name. */}}
{{- define "orders-project.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped name of a component: <release>-<component>. */}}
{{- define "orders-project.componentName" -}}
{{- printf "%s-%s" .root.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object of this chart carries. Takes (dict "root" $ "component" "mongodb"). */}}
{{- define "orders-project.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ include "orders-project.name" .root }}
{{ include "orders-project.selectorLabels" . }}
{{- end -}}

{{/* The labels a selector matches on. Takes (dict "root" $ "component" "mongodb"). */}}
{{- define "orders-project.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A project image: registry prefix + repository + tag (the global tag, else appVersion). Takes (dict "root" $ "image" .Values.x.image). */}}
{{- define "orders-project.image" -}}
{{- $tag := .image.tag | default .root.Values.global.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s%s:%s" (.root.Values.global.image.registry | default "") .image.repository $tag -}}
{{- end -}}

{{- define "orders-project.configName" -}}
{{- printf "%s-app-config" .Release.Name -}}
{{- end -}}

{{- define "orders-project.secretName" -}}
{{- printf "%s-app-secrets" .Release.Name -}}
{{- end -}}

{{- define "orders-project.mongoName" -}}
{{- include "orders-project.componentName" (dict "root" . "component" "mongodb") -}}
{{- end -}}

{{- define "orders-project.redisName" -}}
{{- include "orders-project.componentName" (dict "root" . "component" "redis") -}}
{{- end -}}

{{/* host:port of every MongoDB member, comma-separated (stable names through the headless Service). */}}
{{- define "orders-project.mongoMembers" -}}
{{- $name := include "orders-project.mongoName" . -}}
{{- $members := list -}}
{{- range $i := until (int .Values.mongodb.replicas) -}}
{{- $members = append $members (printf "%s-%d.%s-headless:%d" $name $i $name (int $.Values.mongodb.port)) -}}
{{- end -}}
{{- join "," $members -}}
{{- end -}}

{{/* The services' connection string: the application user, every member, the replica set. */}}
{{- define "orders-project.mongoUrl" -}}
{{- $auth := .Values.mongodb.auth -}}
{{- printf "mongodb://%s:%s@%s/%s?replicaSet=%s&authSource=%s" (urlquery (required "mongodb.auth.appUser is required" $auth.appUser)) (urlquery (required "mongodb.auth.appPassword is required" $auth.appPassword)) (include "orders-project.mongoMembers" .) .Values.config.MONGO_DB .Values.mongodb.replicaSet .Values.config.MONGO_DB -}}
{{- end -}}

{{- define "orders-project.redisUrl" -}}
{{- printf "redis://%s:%d" (include "orders-project.redisName" .) (int .Values.redis.port) -}}
{{- end -}}

{{/* Environment of the hook Jobs that talk to MongoDB as root. */}}
{{- define "orders-project.mongoRootEnv" -}}
- name: MONGO_HOST
  value: {{ printf "%s-0.%s-headless:%d" (include "orders-project.mongoName" .) (include "orders-project.mongoName" .) (int .Values.mongodb.port) | quote }}
- name: MONGO_MEMBERS
  value: {{ include "orders-project.mongoMembers" . | quote }}
- name: MONGO_REPLICA_SET
  value: {{ .Values.mongodb.replicaSet | quote }}
- name: MONGO_INITDB_ROOT_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "orders-project.secretName" . }}
      key: MONGO_ROOT_USER
- name: MONGO_INITDB_ROOT_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "orders-project.secretName" . }}
      key: MONGO_ROOT_PASSWORD
{{- end -}}

{{/* Pod security for the Node images: the image's node user, nothing writable but /tmp. */}}
{{- define "orders-project.nodeSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{- define "orders-project.hookAnnotations" -}}
helm.sh/hook: post-install,post-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}
