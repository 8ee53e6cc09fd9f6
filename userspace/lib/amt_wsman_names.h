/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names the SCA and the simulated device share for the provisioning calls
 * (CONTRACT-provisioning.md, amt-protocol.md 5.3 and 7): classes, methods,
 * properties, selector values and the PT_STATUS return codes.
 */
#ifndef AMTSCA_AMT_WSMAN_NAMES_H
#define AMTSCA_AMT_WSMAN_NAMES_H

/* Classes. */
#define AMT_CLASS_GENERAL_SETTINGS "AMT_GeneralSettings"
#define AMT_CLASS_SETUP_SERVICE "AMT_SetupAndConfigurationService"
#define AMT_CLASS_TIME_SERVICE "AMT_TimeSynchronizationService"
#define AMT_CLASS_AUTHORIZATION_SERVICE "AMT_AuthorizationService"

/* Methods. */
#define AMT_METHOD_GET_LOW_ACCURACY_TIME "GetLowAccuracyTimeSynch"
#define AMT_METHOD_SET_HIGH_ACCURACY_TIME "SetHighAccuracyTimeSynch"
#define AMT_METHOD_SET_MEBX_PASSWORD "SetMEBxPassword"
#define AMT_METHOD_SET_ADMIN_ACL_ENTRY_EX "SetAdminAclEntryEx"
#define AMT_METHOD_SET_TLS_PSK "SetTLSPSK"
#define AMT_METHOD_COMMIT_CHANGES "CommitChanges"

/* Method parameters and outputs. */
#define AMT_PARAM_TA0 "Ta0"
#define AMT_PARAM_TM1 "Tm1"
#define AMT_PARAM_TM2 "Tm2"
#define AMT_PARAM_PASSWORD "Password"
#define AMT_PARAM_USERNAME "Username"
#define AMT_PARAM_DIGEST_PASSWORD "DigestPassword"
#define AMT_PARAM_PID "PID"
#define AMT_PARAM_PPS "PPS"
#define AMT_PARAM_RETURN_VALUE "ReturnValue"

/* AMT_GeneralSettings properties. */
#define AMT_PROP_INSTANCE_ID "InstanceID"
#define AMT_PROP_ELEMENT_NAME "ElementName"
#define AMT_PROP_DIGEST_REALM "DigestRealm"
#define AMT_PROP_HOST_NAME "HostName"
#define AMT_PROP_DOMAIN_NAME "DomainName"

/* AMT_SetupAndConfigurationService properties. */
#define AMT_PROP_PROVISIONING_STATE "ProvisioningState"
#define AMT_PROP_PROVISIONING_MODE "ProvisioningMode"

/* Key (selector) values of the singleton instances. */
#define AMT_GENERAL_SETTINGS_INSTANCE_ID "Intel(r) AMT: General Settings"
#define AMT_SETUP_SERVICE_NAME "Intel(r) AMT Setup and Configuration Service"
#define AMT_TIME_SERVICE_NAME "Intel(r) AMT Time Synchronization Service"
#define AMT_AUTHORIZATION_SERVICE_NAME "Intel(r) AMT Authorization Service"
#define AMT_SYSTEM_NAME "Intel(r) AMT"
#define AMT_SYSTEM_CREATION_CLASS_NAME "CIM_ComputerSystem"

/* The setup user of the contract (step 6, Digest user). */
#define AMT_ADMIN_USER "admin"

/* ProvisioningState. */
enum amt_provisioning_state {
	AMT_PROVISIONING_PRE = 0,
	AMT_PROVISIONING_IN = 1,
	AMT_PROVISIONING_POST = 2,
};

/* PT_STATUS return codes (MeshCentral AmtStatusCodes, amt-protocol.md 5.3). */
enum amt_pt_status {
	AMT_STATUS_SUCCESS = 0,
	AMT_STATUS_INTERNAL_ERROR = 1,
	AMT_STATUS_NOT_PERMITTED = 0x10,
	AMT_STATUS_MAX_LIMIT_REACHED = 0x17,
	AMT_STATUS_AUTHENTICATION_FAILED = 0x19,
	AMT_STATUS_INVALID_PROVISIONING_STATE = 0x20,
	AMT_STATUS_INVALID_PARAMETER = 0x24,
	AMT_STATUS_FLASH_WRITE_LIMIT_EXCEEDED = 0x26,
	AMT_STATUS_INVALID_PID_FORMAT = 0x2A,
	AMT_STATUS_INVALID_PPS_FORMAT = 0x2B,
	AMT_STATUS_INVALID_PASSWORD = 0x806,
	AMT_STATUS_DATA_MISSING = 0x809,
	AMT_STATUS_DUPLICATE = 0x80A,
	AMT_STATUS_INVALID_KEY = 0x80E,
	AMT_STATUS_INVALID_CERT = 0x80F,
	AMT_STATUS_CERT_KEY_NOT_MATCH = 0x810,
	AMT_STATUS_BLOCKING_COMPONENT = 0x81C,
};

/* "INVALID_PASSWORD" for 0x806, "UNKNOWN" for codes not listed above. */
const char *amt_pt_status_name(unsigned int status);

#endif /* AMTSCA_AMT_WSMAN_NAMES_H */
