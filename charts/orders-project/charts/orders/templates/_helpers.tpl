{{/* Chart name. */}}
{{- define "orders.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-orders: the name the umbrella chart's Ingress and the frontend's upstreams use. */}}
{{- define "orders.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "orders.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: orders-project
{{ include "orders.selectorLabels" . }}
{{- end -}}

{{- define "orders.selectorLabels" -}}
app.kubernetes.io/name: {{ include "orders.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* registry prefix + repository + tag (own tag, else the global one, else appVersion). */}}
{{- define "orders.image" -}}
{{- $tag := .Values.image.tag | default .Values.global.image.tag | default .Chart.AppVersion -}}
{{- printf "%s%s:%s" (.Values.global.image.registry | default "") .Values.image.repository $tag -}}
{{- end -}}

{{/* The umbrella chart's shared ConfigMap and Secret (see its configmap.yaml and secret.yaml). */}}
{{- define "orders.appConfigName" -}}
{{- printf "%s-app-config" .Release.Name -}}
{{- end -}}

{{- define "orders.appSecretName" -}}
{{- printf "%s-app-secrets" .Release.Name -}}
{{- end -}}
